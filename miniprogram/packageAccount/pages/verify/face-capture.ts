/** The face capture: the one place that touches the capture APIs of WeChat (requestFacialVerify) and of Tencent's FaceID SDK (startVerify). */
interface CaptureFailure {
  errMsg?: string
  errCode?: number
  ErrorMsg?: string
}

/**
 * What the page uses of `wx` for the face capture, narrowly typed: the base
 * library may lack requestFacialVerify (< 3.8.12), and wx.startVerify exists
 * only once Tencent's FaceID mini-program SDK (verify_mpsdk) is loaded.
 */
interface FaceCaptureApis {
  requestFacialVerify?: (option: { verifyId: string; success?: () => void; fail?: (error: CaptureFailure) => void }) => void
  startVerify?: (option: { data: { token: string }; success?: () => void; fail?: (error: CaptureFailure) => void }) => void
}

function faceCaptureApis(): FaceCaptureApis {
  return wx as unknown as FaceCaptureApis
}

export type CaptureOutcome = { ok: true } | { ok: false; message: string }

function captureFailureMessage(error: CaptureFailure): string {
  const text = `${error.errMsg ?? ''} ${error.ErrorMsg ?? ''}`
  if (/cancel|取消/i.test(text)) return '你取消了人脸核验。准备好后可以重新开始。'
  if (/auth deny|permission|authorize|camera/i.test(text)) return '没有获得相机权限，无法进行人脸核验。请在设置中允许使用摄像头后重试。'
  return '人脸核验没有完成。请在光线充足的地方，按提示正对手机重试。'
}

function runCapture(start: (done: (outcome: CaptureOutcome) => void) => void): Promise<CaptureOutcome> {
  return new Promise((resolve) => {
    try {
      start(resolve)
    } catch {
      resolve({ ok: false, message: '无法打开人脸核验，请稍后重试' })
    }
  })
}

export function requestFacialVerify(verifyId: string): Promise<CaptureOutcome> | null {
  const api = faceCaptureApis().requestFacialVerify
  if (typeof api !== 'function') return null
  return runCapture((done) =>
    api({ verifyId, success: () => done({ ok: true }), fail: (error) => done({ ok: false, message: captureFailureMessage(error) }) }),
  )
}

export function startFaceIdSdk(token: string): Promise<CaptureOutcome> | null {
  const api = faceCaptureApis().startVerify
  if (typeof api !== 'function') return null
  return runCapture((done) =>
    api({ data: { token }, success: () => done({ ok: true }), fail: (error) => done({ ok: false, message: captureFailureMessage(error) }) }),
  )
}
