/**
 * A demo card for `npm start`: the verified development user dev-alice
 * (张小乐) has one published card, shown to others (the public-card consent is
 * in her ledger), so the landing page, the QR code and the holder can be tried
 * at once: scan scene `c=dem0a11ce0`, or call cards.view { cardId: 'dem0a11ce0' }.
 */
import { accounts } from '../cloudfunctions/_core/accounts'
import { cards } from '../cloudfunctions/_core/cards/store'
import type { Config } from '../cloudfunctions/_core/config'
import { Ledger } from '../cloudfunctions/_core/consent/ledger'
import type { Store } from '../cloudfunctions/_core/db'
import { isDuplicateKey } from '../cloudfunctions/_core/errors'
import { documentCatalogue } from '../cloudfunctions/_core/legal'
import { DEFAULT_VISIBILITY } from '../shared/cards'
import { PURPOSES } from '../shared/consent'

export const DEMO_CARD_ID = 'dem0a11ce0'
const DEMO_OWNER = 'dev-alice'

/** Returns how many cards were written (0 once seeded, or when dev-alice is not verified). */
export async function seedDemoCards(store: Store, now: Date, config: Config): Promise<number> {
  const owner = await accounts(store).findOne({ openid: DEMO_OWNER })
  if (!owner || owner.verifiedAt === null) return 0
  if (await cards(store).byId(DEMO_CARD_ID)) return 0

  const ledger = new Ledger(store, config)
  const decision = (await ledger.decisions(DEMO_OWNER, ['publicCard'])).get('publicCard')
  const current = (await documentCatalogue(store)).current(PURPOSES.publicCard.document, now)
  if (current && !decision?.activeGrants.length) {
    const { docId, version, hash } = current
    await ledger.append(DEMO_OWNER, now, [{ purpose: 'publicCard', action: 'grant', method: 'settings', docId, version, hash, guardian: null }])
  }
  try {
    await cards(store).add({
      _id: DEMO_CARD_ID,
      ownerOpenid: DEMO_OWNER,
      slot: 0,
      slotKey: `${DEMO_OWNER}:0`,
      isDefault: true,
      defaultKey: DEMO_OWNER,
      name: '张小乐',
      title: '产品经理',
      company: '乐聊名片（演示）',
      phone: '13800138000',
      email: 'alice@example.com',
      wechatId: 'lechat_alice',
      address: '北京市海淀区中关村大街1号',
      intro: '这是本地演示名片：扫码或在名片夹里试试交换名片、访客记录。',
      avatarUrl: null,
      links: [{ label: '乐聊名片', url: 'https://example.com' }],
      visibility: { ...DEFAULT_VISIBILITY },
      moderation: { state: 'published', decisionId: 'demo-seed', reasons: [], decidedAt: now },
      consentHidden: current === null,
      createdAt: now,
      updatedAt: now,
    })
    return 1
  } catch (error) {
    if (isDuplicateKey(error)) return 0
    throw error
  }
}
