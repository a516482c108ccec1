/**
 * Points the real wx-server-sdk at a local cloud.
 *
 * Call before `require('wx-server-sdk')` / `cloud.init()` and, at the latest,
 * before the first database call: the SDK reads these variables on every
 * request, so calling again later (a restarted server on another port) works.
 *
 * - TCB_CONTEXT_CNFG.URL: the SDK posts every call to this URL instead of Tencent Cloud.
 * - TENCENTCLOUD_SECRETID / SECRETKEY: must be non-empty or each call fails with an
 *   unhandled rejection; the local server ignores the signature, so fakes are set
 *   (replacing real keys too: nothing signed with them should leave this process).
 * - TENCENTCLOUD=true: skips the metadata.tencentyun.com lookup the SDK would
 *   otherwise make before every call (~65 ms each, never cached when it fails).
 * - TCB_ENV: the env id for cloud.DYNAMIC_CURRENT_ENV.
 */
export const LOCAL_ENV_ID = 'local'

export function pointSdkAt(url: string): string {
  const base = url.replace(/\/+$/, '').replace(/\/admin$/, '')
  const admin = `${base}/admin`
  process.env.TCB_CONTEXT_CNFG = JSON.stringify({ URL: admin })
  process.env.TENCENTCLOUD_SECRETID = 'local-secret-id'
  process.env.TENCENTCLOUD_SECRETKEY = 'local-secret-key'
  delete process.env.TENCENTCLOUD_SESSIONTOKEN
  process.env.TENCENTCLOUD = 'true'
  process.env.TCB_ENV ??= LOCAL_ENV_ID
  // 'SCF' would make the SDK believe it runs inside a cloud function.
  if (process.env.TENCENTCLOUD_RUNENV === 'SCF') delete process.env.TENCENTCLOUD_RUNENV
  return admin
}
