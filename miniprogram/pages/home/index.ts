/** 首页: a landing for now; cards, activities and articles arrive here later. */
Component({
  methods: {
    onOpenMe() {
      // "我的" is a tabBar page: navigateTo cannot open it.
      wx.switchTab({ url: '/pages/me/index' })
    },
    onOpenCards() {
      wx.navigateTo({ url: '/packageCards/pages/mine/index' })
    },
    onOpenHolder() {
      wx.navigateTo({ url: '/packageCards/pages/holder/index' })
    },
    onOpenActivities() {
      wx.navigateTo({ url: '/packageActivities/pages/list/index' })
    },
    onOpenArticles() {
      wx.navigateTo({ url: '/packageArticles/pages/feed/index' })
    },
  },
})
