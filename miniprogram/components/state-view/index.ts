/**
 * Loading / empty / error / ready, the same way on every page. The page's
 * content goes in the slot and shows only when status is 'ready'.
 */
Component({
  options: {
    // Use the buttons and colors from app.wxss.
    styleIsolation: 'apply-shared',
  },
  properties: {
    status: { type: String, value: 'loading' },
    message: { type: String, value: '' },
    retryText: { type: String, value: '重新加载' },
    /** A way on from the empty state (返回 …), raised as `emptyaction`; none when ''. */
    emptyActionText: { type: String, value: '' },
  },
  methods: {
    onRetry() {
      this.triggerEvent('retry', {})
    },

    onEmptyAction() {
      this.triggerEvent('emptyaction', {})
    },
  },
})
