/**
 * 冒用申诉: shown when the ID number someone verified with is already bound to
 * another account. They explain in a few words and the report goes to staff
 * (identity.reportImpersonation, one per verification); the answer comes as
 * an inbox message. `verificationId` is the verification that was refused.
 */
import { call, fieldErrors, messageOf } from '../../../api'
import { formatDateTime } from '../../../utils/format'

const REASON_MIN = 5
const REASON_MAX = 500

type InputEvent = WechatMiniprogram.CustomEvent<{ value: string }>

Component({
  properties: {
    verificationId: { type: String, value: '' },
  },
  data: {
    reason: '',
    error: '',
    busy: false,
    /** What the person is told once the report is in; the form goes away. */
    done: '',
  },
  methods: {
    onInput(e: InputEvent) {
      this.setData({ reason: e.detail.value, error: '' })
    },

    async onSubmit() {
      if (this.data.busy || this.data.done) return
      const reason = this.data.reason.trim()
      if (reason.length < REASON_MIN) {
        this.setData({ error: `请简要说明情况（至少${REASON_MIN}个字）` })
        return
      }
      if (reason.length > REASON_MAX) {
        this.setData({ error: `说明最多 ${REASON_MAX} 个字` })
        return
      }
      this.setData({ busy: true, error: '' })
      try {
        const report = await call('identity', 'reportImpersonation', { verificationId: this.data.verificationId, reason })
        this.setData({
          busy: false,
          done: report.created
            ? `申诉已提交（${formatDateTime(report.createdAt)}）。工作人员会人工核查，结果会通过站内信告诉你，请留意「消息」。`
            : '这次核验的申诉已经提交过了，正在核查中，请勿重复提交。结果会通过站内信告诉你。',
        })
      } catch (error) {
        this.setData({ busy: false, error: fieldErrors(error).reason ?? messageOf(error) })
      }
    },
  },
})
