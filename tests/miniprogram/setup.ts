/**
 * The mini-program tests run in jsdom with the real backend in the same
 * process. The backend draws sandbox QR codes with the `qrcode` package, which
 * needs TextEncoder, and the login service signs with `jose`, which needs
 * TextDecoder and WebCrypto: Node globals that jest's jsdom environment leaves out.
 */
import { webcrypto } from 'node:crypto'
import { TextDecoder as NodeTextDecoder, TextEncoder as NodeTextEncoder } from 'node:util'

if (typeof globalThis.TextEncoder === 'undefined') Object.assign(globalThis, { TextEncoder: NodeTextEncoder })
if (typeof globalThis.TextDecoder === 'undefined') Object.assign(globalThis, { TextDecoder: NodeTextDecoder })
if (typeof globalThis.crypto?.subtle === 'undefined') Object.defineProperty(globalThis, 'crypto', { value: webcrypto, configurable: true })
