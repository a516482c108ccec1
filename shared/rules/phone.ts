/** Mainland China mobile numbers (11 digits, 13x–19x), as people type them into a form. */
export const MAINLAND_MOBILE = /^1[3-9]\d{9}$/

/** Spaces and dashes people type between groups (138 0013 8000) are not part of the number. */
export function normalizePhone(text: string): string {
  return text.replace(/[\s-]/g, '').replace(/^(?:\+?86)(?=1\d{10}$)/, '')
}

export function isMainlandMobile(text: string): boolean {
  return MAINLAND_MOBILE.test(text)
}

/** 138****8000: the first three and the last four digits stay visible. */
export function maskPhone(phone: string): string {
  if (phone.length < 7) return '*'.repeat(phone.length)
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`
}
