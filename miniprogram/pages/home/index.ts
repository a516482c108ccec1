/** 首页: a landing for now; cards, activities and articles arrive here later. */
Component({
  methods: {
    onOpenMe() {
      // "我的" is a tabBar page: navigateTo cannot open it.
      wx.switchTab({ url: '/pages/me/index' })
    },
  },
})
