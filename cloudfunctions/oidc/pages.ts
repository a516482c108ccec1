/** The two pages a browser sees: the QR code to scan, and an error that says what to do. */
import { CLIENT_ORG_TYPE_LABELS } from '../../shared/oidc'
import { htmlResponse, type HttpResponse } from '../_core/http-event'
import type { ClientDoc } from '../_core/oidc/records'

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

const STYLE = `
  body { font-family: system-ui, "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; margin: 0; background: #f5f6f7; color: #1f2329; }
  main { max-width: 420px; margin: 48px auto; background: #fff; border-radius: 12px; padding: 32px; text-align: center; box-shadow: 0 2px 12px rgba(0,0,0,.06); }
  h1 { font-size: 20px; margin: 0 0 8px; }
  p { line-height: 1.6; margin: 8px 0; }
  .muted { color: #646a73; font-size: 14px; }
  img { width: 220px; height: 220px; margin: 16px auto; display: block; }
  #status { font-weight: 600; min-height: 1.6em; }
  footer { margin-top: 24px; font-size: 12px; color: #8f959e; }`

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`
}

export function errorPage(status: number, message: string): HttpResponse {
  return htmlResponse(status, page('无法登录', `<main role="alert"><h1>无法登录</h1><p>${escape(message)}</p><p class="muted">请关闭本页，回到原来的网站重新发起登录。</p></main>`))
}

export interface AuthorizePageInput {
  client: ClientDoc
  signInId: string
  browserSecret: string
  qrDataUrl: string
  /** Whole minutes the code stays valid. */
  validMinutes: number
  sandbox: boolean
}

export function authorizePage(input: AuthorizePageInput): HttpResponse {
  const { client } = input
  const script = `
(function () {
  var main = document.querySelector('main');
  var status = document.getElementById('status');
  var id = main.getAttribute('data-sign-in'), secret = main.getAttribute('data-secret');
  var texts = { waiting: '请用微信扫描二维码', scanned: '已扫码，请在手机上确认并完成刷脸', expired: '二维码已过期，请回到原网站重新登录', used: '这次登录已完成，请回到原网站' };
  function tick() {
    fetch('authorize/poll', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: id, secret: secret }) })
      .then(function (r) { return r.json(); })
      .then(function (answer) {
        if (answer.status === 'done') { status.textContent = '正在返回应用…'; window.location.replace(answer.location); return; }
        status.textContent = texts[answer.status] || '请稍候…';
        main.setAttribute('data-status', answer.status);
        if (answer.status === 'waiting' || answer.status === 'scanned') setTimeout(tick, 1500);
      })
      .catch(function () { status.textContent = '网络不稳定，正在重试…'; setTimeout(tick, 3000); });
  }
  tick();
})();`
  const body = `<main data-sign-in="${escape(input.signInId)}" data-secret="${escape(input.browserSecret)}" data-status="waiting">
  <h1>使用乐聊名片登录</h1>
  <p>${escape(client.name)}</p>
  <p class="muted">${escape(CLIENT_ORG_TYPE_LABELS[client.orgType])} · ${escape(client.organization)}</p>
  <img src="${input.qrDataUrl}" alt="登录二维码：用微信扫一扫，在乐聊名片中确认">
  <p id="status" aria-live="polite">请用微信扫描二维码</p>
  <p class="muted">扫码后在乐聊名片小程序中查看该机构将获得的信息，同意后完成一次刷脸即可登录。二维码 ${input.validMinutes} 分钟内有效。</p>
  ${input.sandbox ? '<p class="muted">本地沙箱：二维码内容为登录请求编号；可在本地云状态页以开发身份代为扫码确认。</p>' : ''}
  <footer>本服务由 ${escape(client.organization)} 提供 · 身份由乐聊名片实名核验</footer>
</main><script>${script}</script>`
  return htmlResponse(200, page(`使用乐聊名片登录 ${client.name}`, body))
}
