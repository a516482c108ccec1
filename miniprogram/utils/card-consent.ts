/**
 * 「公开展示我的名片」, the separate consent a card needs before others can see
 * it, granted from the card pages the way 隐私设置 grants it: the current
 * version and hash of its notice (legal.list) go with consent.grant, after the
 * user confirmed what it means. Children under 14 need their guardian, which
 * only 隐私设置 collects: they are sent there.
 */
import { PURPOSES } from '../../shared/consent'
import { ApiCallError, call, messageOf } from '../api'
import { confirmed } from './confirm'
import { docUrl, PRIVACY_URL } from './links'

const PURPOSE = PURPOSES.publicCard

export const PUBLIC_CARD_TITLE = PURPOSE.title

/** Where to read the notice before agreeing. */
export function publicCardNoticeUrl(): string {
  return docUrl(PURPOSE.document)
}

export type GrantOutcome = { granted: true; message: string } | { granted: false; message: string; openPrivacy: boolean }

/** Asks, then grants. Resolves granted:false with '' when the user changed their mind; never rejects. */
export async function grantPublicCard(): Promise<GrantOutcome> {
  const ok = await confirmed({
    title: `同意「${PURPOSE.title}」？`,
    content: '同意后，扫码或打开链接的人可以看到名片中设为「公开」的内容；设为「交换名片后可见」的只给交换过名片的人。可随时在「隐私设置」中撤回，撤回后名片立即对他人隐藏。',
    confirmText: '同意',
    cancelText: '再想想',
  })
  if (!ok) return { granted: false, message: '', openPrivacy: false }
  try {
    const { documents } = await call('legal', 'list', {})
    const notice = documents.find((d) => d.docId === PURPOSE.document)?.current
    if (!notice) return { granted: false, message: '《名片公开展示单独告知》暂未发布，请稍后再试', openPrivacy: false }
    await call('consent', 'grant', {
      method: 'settings',
      items: [{ purpose: 'publicCard', version: notice.version, hash: notice.hash }],
    })
    return { granted: true, message: `已同意「${PURPOSE.title}」（依据《${notice.title}》第 ${notice.version} 版）` }
  } catch (error) {
    // A child's consent is the guardian's: the privacy page has the form.
    const openPrivacy = error instanceof ApiCallError && (error.code === 'GUARDIAN_CONSENT_REQUIRED' || error.code === 'INVALID_INPUT')
    return { granted: false, message: messageOf(error), openPrivacy }
  }
}

export function openPrivacySettings(): void {
  wx.navigateTo({ url: PRIVACY_URL })
}
