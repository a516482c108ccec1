/**
 * What the mini-program's 用户隐私保护指引 (privacy guide, mini-program console →
 * 设置 → 服务内容声明) must declare: each item WeChat's form offers, the code
 * that collects it, and why. WeChat refuses a privacy API whose item is not
 * declared; a test keeps this list, the code and the README's checklist in step.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { extname, join } from 'node:path'

export interface PrivacyItem {
  /** The item as WeChat's privacy-guide form names it. */
  item: string
  /** What in the code collects it: `wx.` APIs, or a component attribute in WXML. */
  uses: readonly string[]
  purpose: string
}

export const PRIVACY_GUIDE: readonly PrivacyItem[] = [
  { item: '用户信息（微信昵称、头像）', uses: ['open-type="chooseAvatar"', 'type="nickname"'], purpose: '设置个人资料与名片头像、昵称' },
  { item: '选中的照片或视频信息', uses: ['wx.chooseMedia'], purpose: '上传名片头像、活动与文章配图' },
  { item: '摄像头', uses: ['wx.chooseMedia', 'wx.requestFacialVerify'], purpose: '拍摄配图；实名认证的人脸核验' },
  { item: '相册（仅写入）权限', uses: ['wx.saveImageToPhotosAlbum'], purpose: '保存名片海报' },
  { item: '通讯录（仅写入）权限', uses: ['wx.addPhoneContact'], purpose: '把名片存入手机通讯录' },
  { item: '剪切板', uses: ['wx.setClipboardData'], purpose: '复制名片上的联系方式与链接' },
  { item: '身份证号码', uses: ['wx.requestFacialVerify'], purpose: '实名认证（姓名与身份证号由用户填写，随人脸核验提交）' },
]

/** Which of `candidates` occur in the mini-program's .ts and .wxml sources. */
export function usesIn(sourceDir: string, candidates: readonly string[]): Set<string> {
  const found = new Set<string>()
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) visit(path)
      else if (['.ts', '.wxml'].includes(extname(entry.name))) {
        const text = readFileSync(path, 'utf8')
        for (const use of candidates) if (text.includes(use)) found.add(use)
      }
    }
  }
  visit(sourceDir)
  return found
}

/** APIs and components WeChat puts behind the privacy guide: any the code uses must be covered by an item above. */
export const PRIVACY_APIS: readonly string[] = [
  'wx.chooseMedia', 'wx.chooseImage', 'wx.saveImageToPhotosAlbum', 'wx.addPhoneContact', 'wx.setClipboardData', 'wx.getClipboardData',
  'wx.getLocation', 'wx.getFuzzyLocation', 'wx.chooseLocation', 'wx.chooseAddress', 'wx.getUserProfile', 'wx.startRecord',
  'wx.chooseMessageFile', 'wx.requestFacialVerify', 'wx.getWeRunData', 'open-type="getPhoneNumber"', 'open-type="chooseAvatar"', 'type="nickname"',
]
