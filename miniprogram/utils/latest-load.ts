/**
 * Loading the first page of a list whose loads can overlap (switching tabs,
 * refreshing when the page shows again): only the latest load's answers reach
 * the page.
 */
import { runLoad, type LoadOptions, type LoadPatch } from './load'
import { refusalOf } from './refusal'

/** The page as runLatestLoad uses it: a `generation` counter, and errorAction / errorActionText for the refusal's way forward. */
export interface LatestLoadHost {
  data: { generation: number }
  setData(patch: Record<string, unknown>): void
}

export interface LatestLoadOptions<T> extends LoadOptions<T> {
  /** Keep what is shown until the answer arrives (no 'loading' state): a refresh. */
  quiet?: boolean
}

/**
 * runLoad for the latest load only: it takes the next `generation`, and a
 * later load makes this one's answers be dropped. A failure also sets the
 * refusal's way forward (errorAction, errorActionText: 去登录 for visitors …)
 * beside the error.
 */
export async function runLatestLoad<T>(host: LatestLoadHost, load: () => Promise<T>, options: LatestLoadOptions<T> = {}): Promise<void> {
  const generation = host.data.generation + 1
  host.setData({ generation, errorAction: '', errorActionText: '' })
  const current = () => host.data.generation === generation
  const set = (patch: LoadPatch) => {
    if (!current()) return
    if (options.quiet && patch.status === 'loading') return
    host.setData(patch)
  }
  await runLoad(
    set,
    async () => {
      try {
        return await load()
      } catch (error) {
        const refusal = refusalOf(error)
        if (current()) host.setData({ errorAction: refusal.action, errorActionText: refusal.actionText })
        throw error
      }
    },
    options,
  )
}
