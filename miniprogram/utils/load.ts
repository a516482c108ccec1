import { messageOf } from '../api/errors'

export type LoadStatus = 'loading' | 'empty' | 'error' | 'ready'

/** The two keys a page binds to <state-view status="{{status}}" message="{{error}}">. */
export interface LoadState {
  status: LoadStatus
  /** The user-facing message when status is 'error', else ''. */
  error: string
}

export type LoadPatch = LoadState & Record<string, unknown>

export interface LoadOptions<T> {
  /** Page data derived from the value, set in the same setData as 'ready' so nothing renders half-filled. */
  toData?: (value: T) => Record<string, unknown>
  isEmpty?: (value: T) => boolean
}

/**
 * Runs one async load and reports it through `set` (usually `(p) => this.setData(p)`):
 * 'loading' first, then 'ready'/'empty' with the derived data, or 'error' with a message.
 * Resolves with the value, or undefined after a failure (never rejects).
 */
export async function runLoad<T>(
  set: (patch: LoadPatch) => void,
  load: () => Promise<T>,
  options: LoadOptions<T> = {},
): Promise<T | undefined> {
  set({ status: 'loading', error: '' })
  let value: T
  try {
    value = await load()
  } catch (error) {
    set({ status: 'error', error: messageOf(error) })
    return undefined
  }
  const empty = options.isEmpty ? options.isEmpty(value) : false
  set({ ...(options.toData ? options.toData(value) : {}), status: empty ? 'empty' : 'ready', error: '' })
  return value
}
