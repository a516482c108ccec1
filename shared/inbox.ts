/** Kinds of in-app messages (站内信); the same kinds can be pushed as WeChat subscribe messages when the user opted in. */
export const MESSAGE_TYPES = ['legalUpdate', 'accountState', 'moderationDecision', 'activity', 'cardExchange', 'system'] as const
export type MessageType = (typeof MESSAGE_TYPES)[number]

export const MESSAGE_TYPE_LABELS: Record<MessageType, string> = {
  legalUpdate: '协议更新',
  accountState: '账号状态',
  moderationDecision: '审核结果',
  activity: '活动通知',
  cardExchange: '名片交换',
  system: '系统通知',
}
