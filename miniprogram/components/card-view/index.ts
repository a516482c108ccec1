/**
 * A card as someone sees it (utils/cards.ts cardViewModel): avatar or initial,
 * name with the verified badge, title and company, contact rows, intro, links,
 * and which fields appear only after exchanging cards. The landing page, the
 * holder and the editor's live preview all use it. With `interactive`, a phone
 * number is dialled and the other details copied when tapped.
 */
import { EMPTY_CARD_VIEW } from '../../utils/cards'

type RowEvent = WechatMiniprogram.BaseEvent<Record<string, never>, { value: string; action: string; label: string }>

Component({
  options: {
    // Buttons, badges and colors from app.wxss.
    styleIsolation: 'apply-shared',
  },
  properties: {
    card: { type: Object, value: EMPTY_CARD_VIEW },
    interactive: { type: Boolean, value: false },
    /** A heading above the card (the editor's「陌生人看到的」). */
    caption: { type: String, value: '' },
  },
  methods: {
    onRowTap(e: RowEvent) {
      if (!this.data.interactive) return
      const { value, action, label } = e.currentTarget.dataset
      if (!value) return
      this.triggerEvent('fieldtap', { value, action })
      if (action === 'call' && typeof wx.makePhoneCall === 'function') {
        wx.makePhoneCall({ phoneNumber: value, fail: () => undefined })
        return
      }
      if (typeof wx.setClipboardData === 'function') {
        wx.setClipboardData({ data: value, success: () => wx.showToast?.({ title: `已复制${label}`, icon: 'none' }) })
      }
    },
  },
})
