import simulate from 'miniprogram-simulate'
import { load, textOf } from './helpers'

const stateView = load('components/state-view/index')

// A host page, as the real pages use it: content in the slot, retry wired to a handler.
let retries = 0
let emptyActions = 0
const host = simulate.load({
  template: `
    <state-view id="view" status="{{status}}" message="{{message}}" empty-action-text="{{emptyActionText}}" bind:retry="onRetry" bind:emptyaction="onEmptyAction">
      <text id="content">页面内容</text>
    </state-view>`,
  usingComponents: { 'state-view': stateView },
  data: { status: 'loading', message: '', emptyActionText: '' },
  methods: {
    onRetry() {
      retries += 1
    },
    onEmptyAction() {
      emptyActions += 1
    },
  },
})

function mount(data: { status: string; message?: string; emptyActionText?: string }) {
  const page = simulate.render(host)
  page.attach(document.createElement('parent-wrapper'))
  page.setData({ message: '', ...data })
  const view = page.querySelector('#view')
  if (!view) throw new Error('state-view did not render')
  return { page, view }
}

function contentHidden(view: NonNullable<ReturnType<typeof mount>['view']>): boolean {
  const wrapper = view.dom?.querySelector('[class*="state__content"]')
  return (wrapper?.className ?? '').includes('state__content--hidden')
}

beforeEach(() => {
  retries = 0
  emptyActions = 0
})

test('loading shows the default or the given message and hides the content', () => {
  const { page, view } = mount({ status: 'loading' })
  expect(view.dom?.textContent).toContain('正在加载…')
  expect(contentHidden(view)).toBe(true)
  expect(view.querySelector('#retry')).toBeUndefined()

  page.setData({ message: '正在读取名片…' })
  expect(view.dom?.textContent).toContain('正在读取名片…')
})

test('empty shows its message and no retry button', () => {
  const { view } = mount({ status: 'empty', message: '还没有名片' })
  expect(view.dom?.textContent).toContain('还没有名片')
  expect(view.querySelector('#retry')).toBeUndefined()
  expect(contentHidden(view)).toBe(true)
})

test('error shows the message and a retry button that reaches the page', async () => {
  const { view } = mount({ status: 'error', message: '网络连接失败，请检查网络后重试' })
  expect(view.dom?.textContent).toContain('网络连接失败，请检查网络后重试')
  expect(textOf(view, '#retry')).toBe('重新加载')

  view.querySelector('#retry')?.dispatchEvent('tap')
  await simulate.sleep(0)
  expect(retries).toBe(1)
})

test('ready shows the page content and none of the state messages', () => {
  const { page, view } = mount({ status: 'ready' })
  expect(contentHidden(view)).toBe(false)
  expect(textOf(page, '#content')).toBe('页面内容')
  expect(view.dom?.textContent).not.toContain('正在加载')
  expect(view.querySelector('#retry')).toBeUndefined()
})

test('empty may offer a way on (返回 …) that reaches the page; without it, no button', async () => {
  const { view } = mount({ status: 'empty', message: '这个活动不存在或已被删除', emptyActionText: '返回' })
  expect(textOf(view, '#empty-action')).toBe('返回')
  expect(view.querySelector('#retry')).toBeUndefined()
  view.querySelector('#empty-action')?.dispatchEvent('tap')
  await simulate.sleep(0)
  expect(emptyActions).toBe(1)
  const plain = mount({ status: 'empty', message: '还没有名片' })
  expect(plain.view.querySelector('#empty-action')).toBeUndefined()
})
