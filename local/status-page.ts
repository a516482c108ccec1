/**
 * The local cloud's page for people (GET /): functions and their actions,
 * collections with counts and a read-only document browser, development identities.
 * Plain server-rendered HTML: nothing to build, works without JavaScript.
 */
import { contract, listActions } from '../shared/contract'
import { timingSafeEqual } from 'node:crypto'
import { approveSignIn } from './demo-rp'
import { escapeHtml, guarded, HttpError, readText, sendHtml, type Route } from './http'
import { DEV_IDENTITIES } from './identities'
import type { Gateway } from './gateway'
import type { TimerTrigger } from './timers'

export interface Browsable {
  collections(): Array<{ name: string; count: number }>
  documents(name: string, offset: number, limit: number): { total: number; docs: unknown[] }
}

const PAGE = 20

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}


function layout(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>
body{font:15px/1.6 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;color:#1f2329;background:#f5f6f7}
header{background:#07c160;color:#fff;padding:16px 24px}header h1{margin:0;font-size:20px}header p{margin:4px 0 0}
main{max-width:1080px;margin:0 auto;padding:16px 24px}section{background:#fff;border-radius:8px;padding:16px 20px;margin:16px 0}
h2{font-size:17px;margin:0 0 12px}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #eee;vertical-align:top}
code,pre{font:13px/1.5 ui-monospace,Menlo,monospace}pre{white-space:pre-wrap;word-break:break-all;margin:0}
a{color:#0b6bcb}.tag{display:inline-block;padding:0 6px;border-radius:4px;background:#eef3ff;color:#234;font-size:12px}
button{font:inherit;padding:2px 10px;border-radius:4px;border:1px solid #07c160;background:#fff;color:#05803f;cursor:pointer}
button[aria-pressed=true]{background:#07c160;color:#fff}nav a{margin-right:12px}
</style></head><body><header><h1>乐聊名片 · 本地云</h1><p>本地数据库 + 云函数网关 + 开放接口沙箱（仅本机可访问）</p></header><main>${body}</main></body></html>`
}

function homePage(data: Browsable, gateway: Gateway, triggers: readonly TimerTrigger[], url: string, token: string): string {
  const current = gateway.currentIdentity()
  const identities = DEV_IDENTITIES.map(
    (identity) => `<tr><td><code>${escapeHtml(identity.openid)}</code></td><td>${escapeHtml(identity.label)}</td>
<td>${identity.roles.map((r) => `<span class="tag">${r}</span>`).join(' ')}</td>
<td><form method="post" action="/status/identity"><input type="hidden" name="openid" value="${escapeHtml(identity.openid)}"><input type="hidden" name="token" value="${token}">
<button aria-pressed="${identity.openid === current}">${identity.openid === current ? '当前身份' : '切换为此身份'}</button></form></td></tr>`,
  )
  const actions = listActions().map(
    (row) =>
      `<tr><td><code>${row.fn}</code></td><td><code>${escapeHtml(row.action)}</code></td><td><span class="tag">${row.spec.access}</span></td><td>${escapeHtml(row.spec.summary)}</td></tr>`,
  )
  const collections = data
    .collections()
    .map((c) => `<tr><td><a href="/status/collection?name=${encodeURIComponent(c.name)}">${escapeHtml(c.name)}</a></td><td>${c.count}</td></tr>`)
  // Web sign-ins waiting for someone to scan: the page can play that person as a development identity.
  const waiting = data
    .documents('oidc_signins', 0, 200)
    .docs.map((doc) => doc as { _id?: unknown; clientId?: unknown; stage?: unknown; channel?: unknown; openid?: unknown })
    .filter((doc) => doc.stage === 'pending' && doc.channel === 'web' && doc.openid === null && typeof doc._id === 'string')
  const signIns = waiting.map((doc) => {
    const id = escapeHtml(String(doc._id))
    const choices = DEV_IDENTITIES.map((i) => `<option value="${escapeHtml(i.openid)}">${escapeHtml(i.openid)}</option>`).join('')
    return `<tr><td><code>${id}</code></td><td><code>${escapeHtml(String(doc.clientId))}</code></td><td><form method="post" action="/status/oidc/approve">
<input type="hidden" name="signInId" value="${id}"><input type="hidden" name="token" value="${token}"><select name="openid" aria-label="以哪个开发身份扫码">${choices}</select>
<button id="approve-${id}">扫码并同意（含刷脸）</button></form></td></tr>`
  })
  const timers = triggers.map((t) => `<tr><td><code>${t.fn}</code></td><td><code>${escapeHtml(t.name)}</code></td><td><code>${escapeHtml(t.cron)}</code></td></tr>`)
  return layout(
    '乐聊名片 · 本地云',
    `<section><h2>地址</h2><table>
<tr><th scope="row">云函数网关</th><td><code>POST ${url}/call</code> <code>{"name":"account","data":{"action":"login","input":{}}}</code></td></tr>
<tr><th scope="row">SDK 数据库入口</th><td><code>${url}/admin</code></td></tr><tr><th scope="row">健康检查</th><td><a href="/health"><code>${url}/health</code></a></td></tr></table></section>
<section><h2>开发身份</h2><p>网关默认以“当前身份”调用；请求头 <code>x-lechat-openid</code> 可逐次指定。</p><table><tr><th>openid</th><th>说明</th><th>角色</th><th></th></tr>${identities.join('')}</table></section>
<section id="oidc"><h2>乐聊名片登录（扮演扫码的人）</h2><p>打开 <a href="/demo-rp">示例政务服务</a> 点击「使用乐聊名片登录」后，等待扫码的登录请求出现在这里（刷新本页）。选择开发身份即可代替手机完成扫码、刷脸（沙箱）和同意。</p>
${signIns.length ? `<table><tr><th>登录请求</th><th>应用</th><th></th></tr>${signIns.join('')}</table>` : '<p id="no-sign-ins">暂无等待扫码的登录请求。</p>'}</section>
<section><h2>云函数与操作（${Object.keys(contract).length} 个云函数，${actions.length} 个操作）</h2><table><tr><th>云函数</th><th>操作</th><th>权限</th><th>说明</th></tr>${actions.join('')}</table></section>
<section><h2>定时触发器</h2>${timers.length ? `<table><tr><th>云函数</th><th>名称</th><th>cron（北京时间）</th></tr>${timers.join('')}</table>` : '<p>暂无定时触发器。</p>'}</section>
<section><h2>集合</h2><table><tr><th>集合</th><th>文档数</th></tr>${collections.join('')}</table></section>`,
  )
}

function collectionPage(data: Browsable, name: string, page: number): string {
  const known = data.collections().some((c) => c.name === name)
  if (!known) return layout('集合不存在', `<section><p>集合 <code>${escapeHtml(name)}</code> 不存在。</p><p><a href="/">返回</a></p></section>`)
  const { total, docs } = data.documents(name, page * PAGE, PAGE)
  const pages = Math.max(1, Math.ceil(total / PAGE))
  const rows = docs.map((doc) => `<tr><td><pre>${escapeHtml(JSON.stringify(doc, null, 2))}</pre></td></tr>`)
  const link = (p: number, text: string): string =>
    `<a href="/status/collection?name=${encodeURIComponent(name)}&page=${p}">${text}</a>`
  return layout(
    `${name} · 乐聊名片本地云`,
    `<nav><a href="/">← 返回总览</a>${page > 0 ? link(page - 1, '上一页') : ''}${page + 1 < pages ? link(page + 1, '下一页') : ''}</nav>
<section><h2>${escapeHtml(name)}（共 ${total} 条，第 ${page + 1}/${pages} 页，只读）</h2>${rows.length ? `<table>${rows.join('')}</table>` : '<p>这个集合还没有文档。</p>'}</section>`,
  )
}

/**
 * `token` is made afresh at each start and put into the page's forms: another
 * site cannot read the page, so it cannot make a form the server accepts.
 */
export function statusRoutes(data: Browsable, gateway: Gateway, triggers: readonly TimerTrigger[], url: () => string, token: string): Record<string, Route> {
  return {
    '/': guarded((_req, res) => sendHtml(res, 200, homePage(data, gateway, triggers, url(), token))),
    '/status/collection': guarded((req, res) => {
      const query = new URL(req.url ?? '/', 'http://local').searchParams
      const page = Math.max(0, Number.parseInt(query.get('page') ?? '0', 10) || 0)
      sendHtml(res, 200, collectionPage(data, query.get('name') ?? '', page))
    }),
    '/status/oidc/approve': guarded(async (req, res) => {
      const form = new URLSearchParams(await readText(req))
      if (!sameSecret(form.get('token') ?? '', token)) throw new HttpError(403, 'the page is out of date: reload it and try again')
      const openid = form.get('openid') ?? ''
      if (!DEV_IDENTITIES.some((i) => i.openid === openid)) throw new HttpError(400, `unknown identity ${openid}`)
      await approveSignIn(gateway.call, form.get('signInId') ?? '', openid)
      res.writeHead(303, { location: '/#oidc' })
      res.end()
    }),
    '/status/identity': guarded(async (req, res) => {
      // The form posts urlencoded; readJson would refuse it, so parse the small body here.
      const form = new URLSearchParams(await readText(req))
      if (!sameSecret(form.get('token') ?? '', token)) throw new HttpError(403, 'the page is out of date: reload it and try again')
      gateway.setIdentity(form.get('openid') ?? '')
      res.writeHead(303, { location: '/' })
      res.end()
    }),
  }
}

