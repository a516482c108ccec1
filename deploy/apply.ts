/**
 * Carries out a checked plan against a deployment target. The target is a
 * port: `cloudTarget` is the real one (@cloudbase/manager-node for the
 * environment, miniprogram-ci for what WeChat's own tools upload: function code
 * with its open-API permissions, timer triggers, the mini-program). Steps are
 * idempotent, so a deploy that stopped half-way is finished by running it again.
 */
import type { DeployPlan, FunctionPlan, StorageRule } from './plan'
import type { IndexSpec } from '../local/db/spec'

export interface DeployTarget {
  /** Collection names that exist already. */
  listCollections(): Promise<string[]>
  createCollection(name: string): Promise<void>
  /** Index names the collection has already. */
  listIndexes(collection: string): Promise<string[]>
  createIndex(collection: string, index: IndexSpec): Promise<void>
  setCollectionRule(collection: string, rule: StorageRule): Promise<void>
  setStorageRule(rule: StorageRule): Promise<void>
  uploadFunction(fn: FunctionPlan): Promise<void>
  configureFunction(fn: FunctionPlan): Promise<void>
  setTimerTrigger(fn: FunctionPlan): Promise<void>
  /** Paths the HTTP access service routes already. */
  listHttpRoutes(): Promise<string[]>
  createHttpRoute(route: { path: string; fn: string }): Promise<void>
  uploadMiniprogram(plan: DeployPlan): Promise<void>
}

export type Progress = (line: string) => void

export async function applyPlan(plan: DeployPlan, target: DeployTarget, progress: Progress): Promise<void> {
  const existing = new Set(await target.listCollections())
  for (const collection of plan.collections) {
    if (!existing.has(collection.name)) {
      await target.createCollection(collection.name)
      progress(`collection ${collection.name}: created`)
    }
    const indexes = new Set(await target.listIndexes(collection.name))
    for (const index of collection.indexes.filter((ix) => !indexes.has(ix.name))) {
      await target.createIndex(collection.name, index)
      progress(`collection ${collection.name}: index ${index.name}${index.unique ? ' (unique)' : ''} created`)
    }
    await target.setCollectionRule(collection.name, plan.databaseRule)
  }
  progress(`database rule applied to ${plan.collections.length} collections`)
  await target.setStorageRule(plan.storageRule)
  progress('storage rule applied')
  for (const fn of plan.functions) {
    await target.uploadFunction(fn)
    await target.configureFunction(fn)
    if (fn.triggers.length > 0) await target.setTimerTrigger(fn)
    progress(`function ${fn.name}: uploaded, ${Object.keys(fn.env).length} settings${fn.triggers.length > 0 ? `, timer ${fn.triggers[0]?.config}` : ''}`)
  }
  const routed = new Set(await target.listHttpRoutes())
  for (const route of plan.httpRoutes.filter((r) => !routed.has(r.path))) {
    await target.createHttpRoute(route)
    progress(`HTTP access ${route.path} → ${route.fn}: created`)
  }
  await target.uploadMiniprogram(plan)
  progress(`mini-program ${plan.version} uploaded as a development version`)
}

/** The real target. Both SDKs are loaded only here: a dry run never needs them. */
export async function cloudTarget(plan: DeployPlan): Promise<DeployTarget> {
  const { default: CloudBase } = await import('@cloudbase/manager-node')
  const ci = await import('miniprogram-ci')
  const manager = new CloudBase({ secretId: plan.credentials.secretId, secretKey: plan.credentials.secretKey, envId: plan.envId })
  const project = new ci.Project({
    appid: plan.appid,
    type: 'miniProgram',
    projectPath: plan.miniprogram.dir,
    privateKeyPath: plan.credentials.ciPrivateKeyFile,
    ignores: ['node_modules/**/*'],
  })
  const ruleText = (rule: StorageRule): string => JSON.stringify(rule)
  return {
    async listCollections() {
      const reply = (await manager.database.listCollections({ MgoLimit: 1000, MgoOffset: 0 })) as { Collections?: Array<{ CollectionName?: string }> }
      return (reply.Collections ?? []).map((c) => c.CollectionName ?? '')
    },
    async createCollection(name) {
      await manager.database.createCollectionIfNotExists(name)
    },
    async listIndexes(collection) {
      const reply = await manager.database.describeCollection(collection)
      return (reply.Indexes ?? []).map((ix) => ix.Name)
    },
    async createIndex(collection, index) {
      await manager.database.updateCollection(collection, {
        CreateIndexes: [
          {
            IndexName: index.name,
            MgoKeySchema: { MgoIsUnique: index.unique, MgoIndexKeys: index.fields.map((f) => ({ Name: f.field, Direction: f.direction === 'asc' ? '1' : '-1' })) },
          },
        ],
      })
    },
    async setCollectionRule(collection, rule) {
      await manager.permission.modifyResourcePermission({ resourceType: 'collection', resource: collection, permission: 'CUSTOM', securityRule: ruleText(rule) })
    },
    async setStorageRule(rule) {
      await manager.storage.setStorageAcl('CUSTOM', { read: rule.read, write: rule.write })
    },
    async uploadFunction(fn) {
      // WeChat's own upload: reads config.json (open-API permissions) as DevTools does; dependencies installed in the cloud.
      await ci.cloud.uploadFunction({ project, env: plan.envId, name: fn.name, path: fn.dir, remoteNpmInstall: true })
    },
    async configureFunction(fn) {
      await manager.functions.updateFunctionConfig({ name: fn.name, runtime: fn.runtime, timeout: fn.timeoutSeconds, envVariables: fn.env })
    },
    async setTimerTrigger(fn) {
      await ci.cloud.createTimeTrigger({ project, envId: plan.envId, functionName: fn.name, triggersConfig: fn.triggers })
    },
    async listHttpRoutes() {
      const reply = await manager.access.getAccessList()
      return (reply.APISet ?? []).map((api) => api.Path)
    },
    async createHttpRoute(route) {
      await manager.access.createAccess({ name: route.fn, path: route.path })
    },
    async uploadMiniprogram(p) {
      await ci.upload({ project, version: p.version, desc: p.description, setting: { es6: true, minify: true }, robot: 1 })
    },
  }
}
