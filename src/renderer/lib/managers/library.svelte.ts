/**
 * The library at a glance (folders, counts, the indexing job) as rune state, refreshed when the
 * app says the library or a job changed.
 */
import type { LibraryStatus } from '../../../shared/api-contract.js'
import { call, onEvent } from '../api.js'
import { errorMessage } from './toasts.svelte.js'

/** Calls `fn` at most once per `ms`, trailing call included. */
export function throttle(fn: () => void, ms: number): () => void {
  let last = 0
  let timer: ReturnType<typeof setTimeout> | null = null
  return () => {
    const wait = last + ms - Date.now()
    if (wait <= 0) {
      last = Date.now()
      fn()
    } else if (!timer) {
      timer = setTimeout(() => {
        timer = null
        last = Date.now()
        fn()
      }, wait)
    }
  }
}

/** Library status and folders. */
export class LibraryManager {
  status = $state.raw<LibraryStatus | null>(null)
  error = $state<string | null>(null)
  loading = $state(false)

  /** True once the status says the library has no folder (first run). */
  readonly isEmpty: boolean = $derived(this.status !== null && this.status.folders.length === 0 && this.status.photos.total === 0)
  readonly folders = $derived(this.status?.folders ?? [])

  /** Reads the status again. */
  async refresh(): Promise<void> {
    this.loading = true
    try {
      this.status = await call('library.status', {})
      this.error = null
    } catch (err) {
      this.error = errorMessage(err)
    } finally {
      this.loading = false
    }
  }

  /** Refreshes on library and job events (at most every `throttleMs`), so the counts follow a running job; returns the unsubscribe. */
  connect(throttleMs = 1000): () => void {
    const refresh = throttle(() => void this.refresh(), throttleMs)
    const offLibrary = onEvent('library.changed', refresh)
    // Every job update (throttled): the counts move while a job runs, not only when it ends.
    const offJob = onEvent('job.updated', refresh)
    return () => {
      offLibrary()
      offJob()
    }
  }
}
