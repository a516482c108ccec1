/**
 * The mini-program tests run in jsdom with the real backend in the same
 * process. The backend draws sandbox QR codes with the `qrcode` package, which
 * needs TextEncoder, a Node global that jest's jsdom environment leaves out.
 */
import { TextEncoder as NodeTextEncoder } from 'node:util'

if (typeof globalThis.TextEncoder === 'undefined') Object.assign(globalThis, { TextEncoder: NodeTextEncoder })
