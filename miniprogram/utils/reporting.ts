/**
 * What a page that offers 举报 shares: which report sheet is open
 * (`reportAbout`: '' for none, 'content' or 'author'), opened by a button
 * with `data-about` and closed when the sheet says so. A button about one row
 * of a list (a visitor, an attendee) also names `data-kind` and `data-target`,
 * kept as `reportKind` / `reportTarget` ('' otherwise). The page puts
 * <report-sheet show="{{reportAbout !== ''}}" about="{{reportAbout}}"
 * kind="{{reportKind || …}}" target-id="{{reportTarget || …}}" …>.
 */
type ReportEvent = WechatMiniprogram.BaseEvent<Record<string, never>, { about?: string; kind?: string; target?: string }>

export const reporting = Behavior({
  data: { reportAbout: '', reportKind: '', reportTarget: '' },
  methods: {
    onReport(e: ReportEvent) {
      const { about, kind, target } = e.currentTarget.dataset
      this.setData({ reportAbout: about === 'author' ? 'author' : 'content', reportKind: kind ?? '', reportTarget: target ?? '' })
    },
    onCloseReport() {
      this.setData({ reportAbout: '', reportKind: '', reportTarget: '' })
    },
  },
})
