/**
 * Drives the real wx-server-sdk against a local cloud started for one test file.
 */
import type { DB } from 'wx-server-sdk'
import type { CollectionSpec } from '../../local/db/spec'
import { pointSdkAt } from '../../local/sdk-env'
import { startLocalCloud, type LocalCloud } from '../../local/server'

type Sdk = typeof import('wx-server-sdk')

export interface SdkCloud {
  server: LocalCloud
  cloud: Sdk
  db: DB.Database
  _: DB.DatabaseCommand
  close(): Promise<void>
}

export async function startSdkCloud(
  opts: { dataDir?: string; collections?: CollectionSpec[]; now?: () => number } = {},
): Promise<SdkCloud> {
  const server = await startLocalCloud({
    dataDir: opts.dataDir ?? ':memory:',
    ...(opts.collections ? { collections: opts.collections } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  })
  pointSdkAt(server.url)
  // After pointSdkAt, as product code does.
  const cloud = require('wx-server-sdk') as Sdk
  cloud.init({ env: 'local' })
  const db = cloud.database()
  return { server, cloud, db, _: db.command, close: () => server.close() }
}

/** The SDK's typings allow `void | string` returns; at run time every call is a promise. */
export async function call<T>(x: Promise<T> | void | string): Promise<T> {
  if (!(x instanceof Promise)) throw new Error('the SDK call did not return a promise')
  return x
}

export interface SdkFailure {
  errCode: number | undefined
  code: string | undefined
  message: string
}

export async function failure(x: Promise<unknown> | void | string): Promise<SdkFailure> {
  try {
    await call(x)
  } catch (e) {
    const err = e as { errCode?: unknown; code?: unknown; message?: unknown }
    return {
      errCode: typeof err.errCode === 'number' ? err.errCode : undefined,
      code: typeof err.code === 'string' ? err.code : undefined,
      message: String(err.message),
    }
  }
  throw new Error('expected the call to fail')
}

export type Row = Record<string, unknown>

export async function rows(q: { get(): Promise<DB.IQueryResult> | void | string }): Promise<Row[]> {
  const r = await call(q.get())
  return r.data as unknown as Row[]
}

export async function ids(q: { get(): Promise<DB.IQueryResult> | void | string }): Promise<unknown[]> {
  return (await rows(q)).map((r) => r._id)
}

/** add() also takes an array (one request, one SQLite transaction); the typings allow one object only. */
export async function addMany(c: DB.CollectionReference, docs: Array<Record<string, unknown>>): Promise<{ _ids: unknown[] }> {
  const add = c.add.bind(c) as unknown as (o: { data: Array<Record<string, unknown>> }) => Promise<{ _ids: unknown[] }>
  return add({ data: docs })
}

export async function byId(db: DB.Database, coll: string, id: string): Promise<Row> {
  const r = await call(db.collection(coll).doc(id).get())
  return r.data as unknown as Row
}

/** The transaction objects wx-server-sdk hands out (untyped in its .d.ts). */
export interface TxDoc {
  get(): Promise<{ data: unknown }>
  set(o: { data: Record<string, unknown> }): Promise<unknown>
  update(o: { data: Record<string, unknown> }): Promise<{ stats: { updated: number } }>
  remove(): Promise<{ stats: { removed: number } }>
}
export interface TxCollection {
  doc(id: string): TxDoc
  add(o: { data: Record<string, unknown> }): Promise<{ _id: string }>
  where(q: Record<string, unknown>): { get(): Promise<unknown> }
}
export interface Tx {
  collection(name: string): TxCollection
  commit(): Promise<unknown>
  rollback(reason?: unknown): Promise<unknown>
}
