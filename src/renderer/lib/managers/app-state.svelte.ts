/**
 * What the app knows about itself (version, mode, class names, provider) and its model pack, as
 * rune state. Views read the fields; only {@link AppState.refresh} changes them.
 */
import type { AppInfo, ModelFileStatus, ModelRow } from '../../../shared/api-contract.js'
import { ApiError, type ApiErrorInfo } from '../../../shared/envelope.js'
import { call } from '../api.js'

/** How many models of the pack are in each status. */
export type StatusCounts = Record<ModelFileStatus, number>

function toErrorInfo(err: unknown): ApiErrorInfo {
  if (err instanceof ApiError) return { code: err.code, message: err.message }
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) }
}

/** App info and model pack state of the page. */
export class AppState {
  /** Null until the first answer. */
  info = $state.raw<AppInfo | null>(null)
  models = $state.raw<ModelRow[]>([])
  /** Why the model list could not be read (e.g. no pack built yet). */
  modelsError = $state<ApiErrorInfo | null>(null)
  /** Why app info could not be read (e.g. the server is down). */
  infoError = $state<ApiErrorInfo | null>(null)
  loading = $state(false)
  /** True once the first refresh has finished. */
  loaded = $state(false)

  /** The head's class names (index = class id); empty until info arrives. */
  readonly classNames: string[] = $derived(this.info?.classNames ?? [])

  readonly counts: StatusCounts = $derived(
    this.models.reduce<StatusCounts>((acc, m) => ({ ...acc, [m.status]: acc[m.status] + 1 }), { ok: 0, missing: 0, mismatch: 0 }),
  )

  /** Reads app info (the pack check is separate: it hashes every model file, so only Settings asks). */
  async refresh(): Promise<void> {
    if (this.loading) return
    this.loading = true
    try {
      this.info = await call('app.info', {})
      this.infoError = null
    } catch (err) {
      this.infoError = toErrorInfo(err)
    } finally {
      this.loading = false
      this.loaded = true
    }
  }

  /** Verifies the model pack against its manifest (Settings shows it). */
  async refreshModels(): Promise<void> {
    try {
      this.models = await call('models.list', {})
      this.modelsError = null
    } catch (err) {
      this.models = []
      this.modelsError = toErrorInfo(err)
    }
  }
}
