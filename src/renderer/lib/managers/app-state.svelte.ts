/**
 * What the app knows about itself and its model pack, as rune state. Views read the fields;
 * only {@link AppState.refresh} changes them.
 */
import type { AppInfo, ConstellaApi, ModelFileStatus, ModelRow } from '../../../shared/api-contract.js'
import type { ApiErrorInfo } from '../../../shared/envelope.js'
import { api as defaultApi } from '../api.js'

/** How many models of the pack are in each status. */
export type StatusCounts = Record<ModelFileStatus, number>

/** App info and model pack state of the page. */
export class AppState {
  /** Null until the first answer. */
  info = $state<AppInfo | null>(null)
  models = $state<ModelRow[]>([])
  /** Why the model list could not be read (e.g. no pack built yet). */
  modelsError = $state<ApiErrorInfo | null>(null)
  /** Why app info could not be read (e.g. the server is down). */
  infoError = $state<ApiErrorInfo | null>(null)
  loading = $state(false)
  /** True once the first refresh has finished. */
  loaded = $state(false)

  readonly counts: StatusCounts = $derived(
    this.models.reduce<StatusCounts>((acc, m) => ({ ...acc, [m.status]: acc[m.status] + 1 }), { ok: 0, missing: 0, mismatch: 0 }),
  )

  constructor(private readonly api: ConstellaApi = defaultApi) {}

  /** Reads app info and the model list again (both in parallel). */
  async refresh(): Promise<void> {
    if (this.loading) return
    this.loading = true
    try {
      const [info, models] = await Promise.all([this.api['app.info']({}), this.api['models.list']({})])
      this.info = info.ok ? info.value : null
      this.infoError = info.ok ? null : info.error
      this.models = models.ok ? models.value : []
      this.modelsError = models.ok ? null : models.error
    } finally {
      this.loading = false
      this.loaded = true
    }
  }
}
