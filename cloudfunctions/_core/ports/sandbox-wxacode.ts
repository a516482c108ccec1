/** The sandbox's mini-program codes: a plain, scannable QR code of the scene (local cloud and tests only). */
import QRCode from 'qrcode'
import { assertScene, type WxacodePort } from './wxacode'

export function sandboxWxacode(): WxacodePort {
  return {
    provider: 'sandbox',
    async getUnlimited({ scene, width }) {
      assertScene(scene)
      const buffer = await QRCode.toBuffer(scene, { type: 'png', width: width ?? 430, margin: 2, errorCorrectionLevel: 'M' })
      return { contentType: 'image/png', buffer }
    },
  }
}
