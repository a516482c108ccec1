/**
 * What the production entry trusts (cloudfunctions/_core/entry.ts): the caller
 * comes from the platform-given WeChat context; timers and message pushes run
 * only without a caller and only in the shape the platform sends. Each case
 * goes through callerOf and then the real dispatcher, as a deployed call does.
 */
import { serve, type AnyFunctionDef } from '../../cloudfunctions/_core/dispatch'
import { callerOf } from '../../cloudfunctions/_core/entry'
import { sandboxMediaPush } from '../../cloudfunctions/_core/moderation/media'
import { moderationFunction } from '../../cloudfunctions/moderation/handlers'
import { schedulerFunction } from '../../cloudfunctions/scheduler/handlers'
import { startTestCloud, type TestCloud } from '../../local/testing'
import type { ApiResult } from '../../shared/errors'

let cloud: TestCloud
const START = new Date('2026-12-07T10:00:00.000Z')

beforeAll(async () => {
  cloud = await startTestCloud({ start: START })
})
afterAll(async () => {
  await cloud.close()
})

/** A deployed call: the context the platform gives, then the dispatcher. */
function deployedCall(def: AnyFunctionDef, context: { OPENID?: string; SOURCE?: string }, event: unknown): Promise<ApiResult<unknown>> {
  return serve(def, event, cloud.runtimeFor(callerOf(context, event)))
}

const codeOf = (result: ApiResult<unknown>): string => (result.ok ? 'ok' : result.error.code)

const DOCUMENTED_SOURCES = ['wx_client', 'wx_devtools', 'wx_localdebug', 'wx_crawler', 'wx_http', 'wx_trigger', 'wx_paycallback', 'wx_unknown', 'scf', 'wx_client,scf']
const timer = (extra: Record<string, unknown> = {}) => ({ Type: 'Timer', TriggerName: 'tick', Time: START.toISOString(), Message: '', ...extra })

describe('timer triggers', () => {
  it('run in the platform’s shape, without a caller', async () => {
    expect(codeOf(await deployedCall(schedulerFunction, { SOURCE: 'wx_trigger' }, timer()))).toBe('ok')
    expect(codeOf(await deployedCall(schedulerFunction, { SOURCE: 'wx_trigger', OPENID: '' }, timer({ Message: undefined })))).toBe('ok')
  })

  it.each([...DOCUMENTED_SOURCES, '', 'an_undocumented_source'])('never run for a call that carries a caller (SOURCE %p)', async (source) => {
    expect(callerOf({ OPENID: 'o-user', SOURCE: source }, timer())).toBe('o-user')
    expect(codeOf(await deployedCall(schedulerFunction, { OPENID: 'o-user', SOURCE: source }, timer()))).toBe('INVALID_REQUEST')
  })

  it.each([
    ['an action envelope alongside', timer({ action: 'login', input: {} })],
    ['no time', { Type: 'Timer', TriggerName: 'tick' }],
    ['a time that is not one', timer({ Time: 'yesterday' })],
    ['a trigger name that is not a name', timer({ TriggerName: '../tick' })],
    ['a message that is not text', timer({ Message: { run: 'all' } })],
  ])('are refused in any other shape: %s', async (_name, event) => {
    expect(codeOf(await deployedCall(schedulerFunction, { SOURCE: 'wx_trigger' }, event))).toBe('INVALID_REQUEST')
  })
})

describe('message pushes', () => {
  const pushFrom = (sender: string) => ({ ...sandboxMediaPush('trace-unknown', { suggest: 'pass', label: 100 }, START), FromUserName: sender })

  it('run without a caller when the platform sends them: the sender is the push account, not a user', async () => {
    // An unknown trace id matches no check: the push is accepted and changes nothing.
    expect(callerOf({ OPENID: 'o-push-account' }, pushFrom('o-push-account'))).toBe('')
    expect(codeOf(await deployedCall(moderationFunction, { OPENID: 'o-push-account' }, pushFrom('o-push-account')))).toBe('ok')
    expect(codeOf(await deployedCall(moderationFunction, {}, pushFrom('o-push-account')))).toBe('ok')
  })

  it.each(DOCUMENTED_SOURCES)('never run for a call through a documented non-push path, even with FromUserName set to the caller (SOURCE %p)', async (source) => {
    const forged = pushFrom('o-user')
    expect(callerOf({ OPENID: 'o-user', SOURCE: source }, forged)).toBe('o-user')
    expect(codeOf(await deployedCall(moderationFunction, { OPENID: 'o-user', SOURCE: source }, forged))).toBe('INVALID_REQUEST')
  })

  it('keep the caller when the sender named is someone else', async () => {
    expect(codeOf(await deployedCall(moderationFunction, { OPENID: 'o-user' }, pushFrom('o-push-account')))).toBe('INVALID_REQUEST')
  })

  it.each([
    ['no ToUserName', { ToUserName: undefined }],
    ['no CreateTime', { CreateTime: undefined }],
    ['CreateTime as text', { CreateTime: '1765101600' }],
    ['an empty sender', { FromUserName: '' }],
  ])('are refused without the platform’s envelope: %s', async (_name, change) => {
    const event = { ...pushFrom('o-push-account'), ...change }
    expect(callerOf({ OPENID: 'o-user' }, event)).toBe('o-user')
    expect(codeOf(await deployedCall(moderationFunction, {}, event))).toBe('INVALID_REQUEST')
  })
})
