/** Words for the consent catalogue's codes, shared by the privacy pages. */
import type { ConsentAction, ConsentMethod, LegalBasis } from '../../shared/consent'

export const BASIS_LABELS: Record<LegalBasis, string> = {
  contract: '必要',
  separate: '单独同意',
  optional: '可选',
}

export const ACTION_LABELS: Record<ConsentAction, string> = {
  grant: '同意',
  refuse: '拒绝',
  withdraw: '撤回',
}

export const METHOD_LABELS: Record<ConsentMethod, string> = {
  checkbox: '注册时勾选',
  popup: '更新提示中选择',
  settings: '在隐私设置中选择',
  guardian: '监护人同意',
  signIn: '登录第三方应用时同意',
}
