/**
 * 示例政务服务: a tiny relying party served by the local cloud at /demo-rp,
 * built like any third party would build it — openid-client and the discovery
 * URL, nothing else. `npm start` registers it (as dev-admin, through
 * oidc.saveClient) and resets its secret at each start, keeping the new one in
 * memory only. The status page plays the person who scans (approveSignIn).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import * as client from 'openid-client'
import { dataOf, type Caller } from './enrol'
import { escapeHtml, guarded, HttpError, sendHtml, type Route } from './http'

export const DEMO_CLIENT_ID = 'demo-gov'
const DEMO_ADMIN = 'dev-admin'


function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font:15px/1.6 system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#eef2f7;color:#1f2329}header{background:#1d4e89;color:#fff;padding:14px 24px}
main{max-width:560px;margin:32px auto;background:#fff;border-radius:10px;padding:28px}button,a.button{display:inline-block;font:inherit;padding:10px 20px;border-radius:6px;border:0;background:#07c160;color:#fff;text-decoration:none;cursor:pointer}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:6px;border-bottom:1px solid #eee;word-break:break-all}.muted{color:#646a73;font-size:13px}</style></head>
<body><header>示例政务服务（本地演示的第三方应用）</header><main>${body}</main></body></html>`
}

/** Registers the demo client for this server's address and returns a fresh secret (the stored one is only a hash). */
export async function registerDemoClient(call: Caller, url: string): Promise<string> {
  dataOf(
    await call(
      'oidc',
      {
        action: 'saveClient',
        input: {
          clientId: DEMO_CLIENT_ID,
          name: '示例政务服务',
          organization: '示例市政务服务中心（演示）',
          orgType: 'government',
          logo: null,
          redirectUris: [`${url}/demo-rp/callback`],
          miniProgramAppIds: [],
          allowedScopes: ['verified', 'age', 'profile', 'id_number'],
          authMethod: 'client_secret_basic',
          jwks: null,
          sector: 'demo.example.gov.cn',
          privacyNoticeUrl: 'https://demo.example.gov.cn/privacy',
          reason: '本地演示：登记示例政务服务',
        },
      },
      DEMO_ADMIN,
    ),
    'oidc.saveClient',
  )
  const { secret } = dataOf<{ secret: string }>(
    await call('oidc', { action: 'rotateSecret', input: { clientId: DEMO_CLIENT_ID, reason: '本地演示：每次启动重置示例应用密钥' } }, DEMO_ADMIN),
    'oidc.rotateSecret',
  )
  return secret
}

interface Pending {
  verifier: string
  nonce: string
  at: number
}

/** The demo's own pages: a sign-in button, the redirect to the provider (PAR), the callback showing what it received. */
export function demoRpRoutes(url: () => string, secret: () => string | null): Record<string, Route> {
  const pending = new Map<string, Pending>()
  let config: client.Configuration | null = null
  const configuration = async (): Promise<client.Configuration> => {
    const current = secret()
    if (!current) throw new HttpError(503, 'the demo client is not registered yet')
    config ??= await client.discovery(new URL(url()), DEMO_CLIENT_ID, {}, client.ClientSecretBasic(current), { execute: [client.allowInsecureRequests] })
    return config
  }

  const home: Route = (_req, res) =>
    sendHtml(
      res,
      200,
      page(
        '示例政务服务',
        `<h1>示例政务服务</h1><p>办理业务前，请先登录。</p><p><a id="login" class="button" href="/demo-rp/login">使用乐聊名片登录</a></p>
<p class="muted">点击后会出现二维码：用微信扫码，在乐聊名片中确认并刷脸。本地演示时，可在<a href="/" target="_blank">本地云状态页</a>「乐聊名片登录」中以开发身份代为扫码同意。</p>`,
      ),
    )

  const login: Route = async (_req, res: ServerResponse) => {
    const cfg = await configuration()
    const verifier = client.randomPKCECodeVerifier()
    const state = client.randomState()
    const nonce = client.randomNonce()
    const now = Date.now()
    for (const [key, value] of pending) if (now - value.at > 10 * 60_000) pending.delete(key)
    pending.set(state, { verifier, nonce, at: now })
    const target = await client.buildAuthorizationUrlWithPAR(cfg, {
      redirect_uri: `${url()}/demo-rp/callback`,
      scope: 'openid verified age profile',
      state,
      nonce,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    })
    res.writeHead(303, { location: target.href })
    res.end()
  }

  const callback: Route = async (req: IncomingMessage, res: ServerResponse) => {
    const current = new URL(req.url ?? '/', url())
    const state = current.searchParams.get('state') ?? ''
    const started = pending.get(state)
    pending.delete(state)
    if (current.searchParams.get('error')) {
      sendHtml(res, 200, page('未登录', `<h1 id="result">未登录</h1><p>你在乐聊名片中拒绝了这次登录（${escapeHtml(current.searchParams.get('error') ?? '')}）。</p><p><a href="/demo-rp">返回</a></p>`))
      return
    }
    if (!started) throw new HttpError(400, 'unknown or used state: start again at /demo-rp')
    const tokens = await client.authorizationCodeGrant(await configuration(), current, { pkceCodeVerifier: started.verifier, expectedState: state, expectedNonce: started.nonce })
    const sub = tokens.claims()?.sub
    if (!sub) throw new HttpError(502, 'the ID token has no subject')
    const info = await client.fetchUserInfo(await configuration(), tokens.access_token, sub)
    const rows = Object.entries(info)
      .map(([name, value]) => `<tr><th scope="row"><code>${escapeHtml(name)}</code></th><td id="claim-${escapeHtml(name)}">${escapeHtml(String(value))}</td></tr>`)
      .join('')
    sendHtml(
      res,
      200,
      page(
        '已登录',
        `<h1 id="result">已登录</h1><p>示例政务服务通过乐聊名片得到了以下信息（ID 令牌已用公钥验证）：</p><table>${rows}</table>
<p class="muted">用户编号只在本机构使用；姓名等敏感信息只有在你单独同意时才会出现。在小程序「我的 → 已授权的应用」中可以撤销授权。</p><p><a href="/demo-rp">返回</a></p>`,
      ),
    )
  }

  return { '/demo-rp': guarded(home), '/demo-rp/login': guarded(login), '/demo-rp/callback': guarded(callback) }
}

/**
 * Plays the person who scans the QR code of a web sign-in, as a development
 * identity: the face re-check (sandbox), opening the request, approving it
 * without the sensitive claims — the same actions the mini-program calls.
 */
export async function approveSignIn(call: Caller, signInId: string, openid: string): Promise<void> {
  dataOf(await call('oidc', { action: 'open', input: { signInId } }, openid), 'oidc.open')
  const { verificationId } = dataOf<{ verificationId: string }>(await call('identity', { action: 'recheck', input: {} }, openid), 'identity.recheck')
  dataOf(await call('identity', { action: 'completeRecheck', input: { verificationId } }, openid), 'identity.completeRecheck')
  dataOf(await call('oidc', { action: 'approve', input: { signInId, verificationId, shareSensitive: false } }, openid), 'oidc.approve')
}
