/**
 * What a page that offers 举报 shares: which report sheet is open
 * (`reportAbout`: '' for none, 'content' or 'author'), opened by a button
 * with `data-about` and closed when the sheet says so. The page puts
 * <report-sheet show="{{reportAbout !== ''}}" about="{{reportAbout}}" …>.
 */
type AboutEvent = WechatMiniprogram.BaseEvent<Record<string, never>, { about?: string }>

export const reporting = Behavior({
  data: { reportAbout: '' },
  methods: {
    onReport(e: AboutEvent) {
      this.setData({ reportAbout: e.currentTarget.dataset.about === 'author' ? 'author' : 'content' })
    },
    onCloseReport() {
      this.setData({ reportAbout: '' })
    },
  },
})
