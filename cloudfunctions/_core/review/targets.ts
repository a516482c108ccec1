/**
 * What the review side reads of the things it rules on: for each kind, the
 * person concerned, the content exactly as it would be published (every
 * field, whoever may see it), the gate decision it shows, whether others can
 * see it now, and the gate's request for it (to check it again when an appeal
 * overturns its take-down).
 */
import { CARD_FIELD_LABELS } from '../../../shared/cards'
import { accountById } from '../accounts'
import { activitiesOf, activityModerationRequest } from '../activities/records'
import { articleModerationRequest, articles } from '../articles/records'
import { cardModerationRequest, cards } from '../cards/store'
import { beijingDateTime } from '../clock'
import type { Context } from '../context'
import type { ContentModeration, PublishedRequest } from '../moderation/gate'
import type { ProfileAccount } from '../moderation/targets'
import type { ContentReviewKind } from '../../../shared/review'

export interface ContentField {
  field: string
  label: string
  text: string
}

export interface TargetFacts {
  /** The person concerned: the author, or the profile's owner. */
  subject: string
  fields: ContentField[]
  images: string[]
  /** The gate decision the target shows now (null for a profile, which has none of its own). */
  moderation: ContentModeration | null
  /** Others can see it now (or could until reports hid it). */
  public: boolean
  /** The gate's request for the content as it stands (null for what cannot be checked again). */
  request: PublishedRequest | null
}

export type TargetKind = ContentReviewKind | 'account'

function field(name: string, label: string, text: string): ContentField {
  return { field: name, label, text }
}

async function cardFacts(ctx: Context, id: string): Promise<TargetFacts | null> {
  const card = await cards(ctx.db).byId(id)
  if (!card) return null
  const fields = (['name', 'title', 'company', 'phone', 'email', 'wechatId', 'address', 'intro'] as const)
    .filter((name) => card[name].length > 0)
    .map((name) => field(name, CARD_FIELD_LABELS[name], card[name]))
  card.links.forEach((link, index) => fields.push(field(`links.${index}`, `${CARD_FIELD_LABELS.links}：${link.label}`, link.url)))
  return {
    subject: card.ownerOpenid,
    fields,
    images: card.avatarUrl ? [card.avatarUrl] : [],
    moderation: card.moderation,
    public: card.moderation.state === 'published' || card.moderation.state === 'reported',
    request: cardModerationRequest(card._id, card),
  }
}

async function activityFacts(ctx: Context, id: string): Promise<TargetFacts | null> {
  const activity = await activitiesOf(ctx.db).byId(id)
  if (!activity) return null
  return {
    subject: activity.ownerOpenid,
    fields: [
      field('title', '标题', activity.title),
      field('time', '时间（北京时间）', `${beijingDateTime(activity.startAt)} 至 ${beijingDateTime(activity.endAt)}`),
      field('place', '地点', activity.place),
      field('description', '活动介绍', activity.description),
    ],
    images: activity.coverImage ? [activity.coverImage] : [],
    moderation: activity.moderation,
    public: activity.moderation.state === 'published' || activity.moderation.state === 'reported',
    request: activityModerationRequest(activity._id, activity),
  }
}

async function articleFacts(ctx: Context, id: string): Promise<TargetFacts | null> {
  const article = await articles(ctx.db).byId(id)
  if (!article) return null
  const state = article.moderation?.state
  return {
    subject: article.ownerOpenid,
    fields: [field('title', '标题', article.title), field('body', '正文', article.body)],
    images: article.cover ? [article.cover] : [],
    moderation: article.moderation,
    // A draft was never shown to anyone.
    public: article.status === 'published' && (state === 'published' || state === 'reported'),
    request: articleModerationRequest(article._id, article),
  }
}

/** A new nickname or avatar waits in the account (pending…) until it passes; a profile is the account's public face. */
async function profileFacts(ctx: Context, kind: 'nickname' | 'avatar' | 'account', accountId: string): Promise<TargetFacts | null> {
  const account = (await accountById(ctx.db, accountId)) as ProfileAccount | null
  if (!account || account.state === 'deleted') return null
  if (kind === 'nickname') {
    const nickname = account.pendingNickname ?? account.nickname
    return { subject: account.openid, fields: [field('nickname', '昵称', nickname)], images: [], moderation: account.nicknameModeration ?? null, public: false, request: null }
  }
  if (kind === 'avatar') {
    const avatar = account.pendingAvatarUrl ?? account.avatarUrl
    return { subject: account.openid, fields: [], images: avatar ? [avatar] : [], moderation: account.avatarModeration ?? null, public: false, request: null }
  }
  return {
    subject: account.openid,
    fields: [field('nickname', '昵称', account.nickname)],
    images: account.avatarUrl ? [account.avatarUrl] : [],
    moderation: null,
    public: !account.contentHidden,
    request: null,
  }
}

/** The facts of a target, or null when it is gone. */
export async function targetFacts(ctx: Context, kind: TargetKind, id: string): Promise<TargetFacts | null> {
  switch (kind) {
    case 'card':
      return cardFacts(ctx, id)
    case 'activity':
      return activityFacts(ctx, id)
    case 'article':
      return articleFacts(ctx, id)
    case 'nickname':
    case 'avatar':
    case 'account':
      return profileFacts(ctx, kind, id)
  }
}

/** What a decision keeps of what it ruled on (label → text; images by position). */
export function snapshotOf(facts: TargetFacts): Record<string, string> {
  const snapshot: Record<string, string> = {}
  for (const f of facts.fields) snapshot[f.label] = f.text
  facts.images.forEach((image, index) => {
    snapshot[`图片 ${index + 1}`] = image
  })
  return snapshot
}
