/**
 * The lifecycle's timer jobs (scheduler function). Each walks its accounts
 * through an index in pages of ≤ 100 and is safe to re-run: a run that stops
 * part-way is finished by the next.
 */
import { usableAdmins } from '../staff'
import { addMonths, DORMANCY_NOTICE_DAYS, dormancyStep } from '../../../shared/rules/lifecycle'
import { accounts, normalizeAccount, type AccountDoc } from '../accounts'
import { beijingDateTime } from '../clock'
import type { Context } from '../context'
import { erasePerson, erasureSubject } from '../erasure'
import { notify } from '../inbox'
import { walk, type WalkResult } from '../paging'
import { recordTransition } from './transition'

const DAY_MS = 24 * 3600 * 1000

function reportTo(ctx: Context, job: string) {
  return {
    onError: (doc: AccountDoc, error: unknown) => ctx.log.error(`${job}: account skipped`, { requestId: ctx.requestId, accountId: doc._id, error: String(error) }),
  }
}

function logDone(ctx: Context, job: string, result: WalkResult): void {
  ctx.log.info(`${job} done`, { requestId: ctx.requestId, ...result })
}

/** Ended suspensions and restrictions become `active` in storage too (in effect they already are), and the person is told. */
export async function tidyTimedStates(ctx: Context): Promise<void> {
  const list = accounts(ctx.db)
  const cmd = ctx.db.cmd
  const suspensions = await walk(
    ctx.db,
    list,
    { state: 'suspended', stateUntil: cmd.lte(ctx.now) },
    'stateUntil',
    async (doc) => void (await recordTransition(ctx, normalizeAccount(doc), { name: 'endSuspension', actor: 'system', judge: 'stored' })),
    reportTo(ctx, 'tidyTimedStates'),
  )
  const restrictions = await walk(
    ctx.db,
    list,
    { state: 'restricted', stateUntil: cmd.lte(ctx.now) },
    'stateUntil',
    async (doc) => void (await recordTransition(ctx, normalizeAccount(doc), { name: 'liftRestrictions', actor: 'system', judge: 'stored' })),
    reportTo(ctx, 'tidyTimedStates'),
  )
  logDone(ctx, 'tidyTimedStates.suspensions', suspensions)
  logDone(ctx, 'tidyTimedStates.restrictions', restrictions)
}

/**
 * Accounts whose cooling-off period is over are erased. The account is first
 * claimed (state `deleted`, erasure running: cancelling is no longer possible),
 * then every collection's rule runs, the account's tombstone last. Runs daily,
 * well within the promised 15 working days.
 */
export async function runDeletions(ctx: Context): Promise<void> {
  const list = accounts(ctx.db)
  // First finish any erasure an earlier run left half-done.
  const resumed = await walk(
    ctx.db,
    list,
    { state: 'deleted', erasure: 'running' },
    '_id',
    async (doc) => erasePerson(ctx, erasureSubject(ctx.config, doc)),
    reportTo(ctx, 'runDeletions'),
  )
  const due = await walk(
    ctx.db,
    list,
    { state: 'pendingDeletion', deletionDueAt: ctx.db.cmd.lte(ctx.now) },
    'deletionDueAt',
    async (doc) => {
      const claimed = await recordTransition(ctx, normalizeAccount(doc), {
        name: 'completeDeletion',
        actor: 'system',
        notify: false,
        patch: { erasure: 'running' },
      })
      await erasePerson(ctx, erasureSubject(ctx.config, claimed))
    },
    reportTo(ctx, 'runDeletions'),
  )
  logDone(ctx, 'runDeletions.resumed', resumed)
  logDone(ctx, 'runDeletions.due', due)
}

/**
 * Accounts unused for LECHAT_DORMANCY_MONTHS are told ahead (30 and 7 days
 * before, inbox and — when the person allowed it — a subscribe message), then
 * become dormant: content hidden, data kept, signing in wakes them. Never deleted.
 */
export async function dormancy(ctx: Context): Promise<void> {
  const months = ctx.config.dormancyMonths
  const earliestNotice = Math.max(...DORMANCY_NOTICE_DAYS)
  // Everyone whose first notice could be due now (a day's margin: months differ in length; the rule decides exactly).
  const threshold = addMonths(new Date(ctx.now.getTime() + (earliestNotice + 1) * DAY_MS), -months)
  const result = await walk(
    ctx.db,
    accounts(ctx.db),
    { state: ctx.db.cmd.in(['active', 'restricted']), lastActiveAt: ctx.db.cmd.lte(threshold) },
    'lastActiveAt',
    async (doc) => dormancyVisit(ctx, normalizeAccount(doc), months),
    reportTo(ctx, 'dormancy'),
  )
  logDone(ctx, 'dormancy', result)
}

async function dormancyVisit(ctx: Context, account: AccountDoc, months: number): Promise<void> {
  // Notices sent for an earlier stretch of inactivity do not count for this one.
  const current = account.dormancyNoticeBasis?.getTime() === account.lastActiveAt.getTime()
  const sent = current ? account.dormancyNoticesSent : []
  const step = dormancyStep({ lastActiveAt: account.lastActiveAt, noticesSent: sent, lastNoticeAt: current ? account.lastDormancyNoticeAt : null }, months, ctx.now)
  // Someone who signed in meanwhile is not touched.
  const unchanged = { lastActiveAt: account.lastActiveAt }
  if (step.kind === 'dormant') {
    // The product keeps an admin who can still sign in and act: the last one is never made dormant.
    if (account.roles.includes('admin') && (await usableAdmins(ctx)).every((a) => a._id === account._id)) return
    await recordTransition(ctx, account, { name: 'markDormant', actor: 'system', expect: unchanged })
    return
  }
  if (step.kind !== 'notice') return
  const written = await accounts(ctx.db).updateWhere(
    { ...unchanged, _id: account._id, stateVersion: account.stateVersion === 0 ? ctx.db.cmd.in([0, null]) : account.stateVersion },
    {
      dormancyNoticesSent: ctx.db.cmd.set([...new Set([...sent, ...step.covers])]),
      dormancyNoticeBasis: account.lastActiveAt,
      lastDormancyNoticeAt: ctx.now,
    },
  )
  if (written === 0) return
  const when = beijingDateTime(step.dormantAt)
  await notify(ctx, {
    recipient: account.openid,
    type: 'accountState',
    title: `账号将于 ${when.slice(0, 10)} 转为休眠`,
    body: `你已经很久没有使用乐聊名片了。如果在 ${when}（北京时间）前仍未登录，账号将转为休眠：你发布的内容暂不对他人显示，数据全部保留，不会被删除；之后${account.verifiedAt === null ? '登录即可恢复' : '在「我的 → 账号与安全」完成本人人脸核验即可恢复'}。现在打开小程序，账号就会保持正常。`,
    link: '/pages/me/index',
    dedupeKey: `dormancy:${account.lastActiveAt.getTime()}:${step.days}`,
  })
}
