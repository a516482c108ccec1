/**
 * The one place where wx-server-sdk's untyped database results become typed.
 * Handlers see `Store` and `Collection<T>`; documents are written only through
 * these helpers, so reading them back as T is sound.
 */
import type { DB } from 'wx-server-sdk'

/** An opaque query or update command (`_.gt(3)`, `_.inc(1)` …). */
export interface Command {
  readonly __command: true
}

export interface Commands {
  eq(value: unknown): Command
  neq(value: unknown): Command
  gt(value: unknown): Command
  gte(value: unknown): Command
  lt(value: unknown): Command
  lte(value: unknown): Command
  in(values: readonly unknown[]): Command
  nin(values: readonly unknown[]): Command
  exists(present: boolean): Command
  elemMatch(query: Where): Command
  and(...conditions: Array<Where | Command>): Command
  or(...conditions: Array<Where | Command>): Command
  inc(by: number): Command
  mul(by: number): Command
  set(value: unknown): Command
  remove(): Command
  push(values: readonly unknown[]): Command
  pull(value: unknown): Command
  addToSet(value: unknown): Command
}

export type Where = Record<string, unknown> | Command
export type Patch = Record<string, unknown>
export type SortOrder = 'asc' | 'desc'

export interface Doc {
  _id: string
}

/** Product code pages at ≤ 100 (the SDK's default and the server's documented page). */
export const PAGE_MAX = 100

export interface FindOptions {
  orderBy?: ReadonlyArray<readonly [string, SortOrder]>
  skip?: number
  limit: number
  fields?: Record<string, boolean>
}

export interface Collection<T extends Doc> {
  readonly name: string
  byId(id: string): Promise<T | null>
  findOne(where: Where, orderBy?: FindOptions['orderBy']): Promise<T | null>
  find(where: Where, options: FindOptions): Promise<T[]>
  count(where: Where): Promise<number>
  add(doc: Omit<T, '_id'> & { _id?: string }): Promise<string>
  /** Replaces the whole document (creates it when missing). */
  put(doc: T): Promise<void>
  update(id: string, patch: Patch): Promise<boolean>
  updateWhere(where: Where, patch: Patch): Promise<number>
  remove(id: string): Promise<boolean>
  removeWhere(where: Where): Promise<number>
}

export interface Store {
  collection<T extends Doc>(name: string): Collection<T>
  readonly cmd: Commands
  serverDate(): Command
  createCollection(name: string): Promise<void>
}

type Loose = Record<string, unknown>

function asList(result: unknown): Loose[] {
  const data = (result as { data?: unknown }).data
  return Array.isArray(data) ? (data as Loose[]) : []
}

function statsOf(result: unknown, key: 'updated' | 'removed'): number {
  const stats = (result as { stats?: Record<string, unknown> }).stats
  const value = stats?.[key]
  return typeof value === 'number' ? value : 0
}

function promised(value: unknown): Promise<unknown> {
  return Promise.resolve(value)
}

function wrapCollection<T extends Doc>(db: DB.Database, name: string): Collection<T> {
  const ref = (): DB.CollectionReference => db.collection(name)
  const query = (where: Where, options?: Partial<FindOptions>): DB.Query => {
    let q: DB.Query = ref().where(where)
    for (const [field, order] of options?.orderBy ?? []) q = q.orderBy(field, order)
    if (options?.skip) q = q.skip(options.skip)
    if (options?.limit !== undefined) q = q.limit(options.limit)
    if (options?.fields) q = q.field(options.fields)
    return q
  }
  const collection: Collection<T> = {
    name,
    async byId(id) {
      // where() rather than doc().get(): a missing document is an answer, not an exception.
      const [first] = asList(await promised(ref().where({ _id: id }).limit(1).get()))
      return (first as T | undefined) ?? null
    },
    async findOne(where, orderBy) {
      const [first] = asList(await promised(query(where, { orderBy: orderBy ?? [], limit: 1 }).get()))
      return (first as T | undefined) ?? null
    },
    async find(where, options) {
      if (options.limit > PAGE_MAX) throw new Error(`page size ${options.limit} exceeds ${PAGE_MAX}`)
      return asList(await promised(query(where, options).get())) as unknown as T[]
    },
    async count(where) {
      const result = (await promised(ref().where(where).count())) as { total?: unknown }
      return typeof result.total === 'number' ? result.total : 0
    },
    async add(doc) {
      const result = (await promised(ref().add({ data: doc }))) as { _id?: unknown }
      return String(result._id)
    },
    async put(doc) {
      const { _id, ...rest } = doc
      await promised(ref().doc(_id).set({ data: rest }))
    },
    async update(id, patch) {
      return statsOf(await promised(ref().doc(id).update({ data: patch })), 'updated') > 0
    },
    async updateWhere(where, patch) {
      return statsOf(await promised(ref().where(where).update({ data: patch })), 'updated')
    },
    async remove(id) {
      return statsOf(await promised(ref().doc(id).remove()), 'removed') > 0
    },
    async removeWhere(where) {
      return statsOf(await promised(ref().where(where).remove()), 'removed')
    },
  }
  return collection
}

export function wrapDatabase(db: DB.Database): Store {
  const cmd = db.command as unknown as Commands
  return {
    collection: <T extends Doc>(name: string) => wrapCollection<T>(db, name),
    cmd,
    serverDate: () => db.serverDate() as unknown as Command,
    async createCollection(name) {
      await db.createCollection(name)
    },
  }
}

/** A collection that can only grow: adding and reading, with no update or removal to call. */
export type AppendOnlyCollection<T extends Doc> = Pick<Collection<T>, 'name' | 'byId' | 'findOne' | 'find' | 'count' | 'add'>

/** Copies only the growing and reading methods, so even a cast cannot reach an update. */
export function appendOnly<T extends Doc>(collection: Collection<T>): AppendOnlyCollection<T> {
  const { name, byId, findOne, find, count, add } = collection
  return Object.freeze({ name, byId, findOne, find, count, add })
}
