/**
 * User settings (the detection threshold) as rune state, kept in step with other windows through
 * `settings.changed`.
 */
import type { AppSettings } from '../../../shared/api-contract.js'
import { call, onEvent } from '../api.js'
import { errorMessage } from './toasts.svelte.js'

/** The threshold used until the settings arrive. */
export const DEFAULT_DETECTION_THRESHOLD = 0.25

/** Settings of the app. */
export class SettingsManager {
  settings = $state.raw<AppSettings | null>(null)
  error = $state<string | null>(null)
  saving = $state(false)

  /** The detection threshold in effect. */
  readonly detectionThreshold: number = $derived(this.settings?.detectionThreshold ?? DEFAULT_DETECTION_THRESHOLD)

  /** Reads the settings. */
  async load(): Promise<void> {
    try {
      this.settings = await call('settings.get', {})
      this.error = null
    } catch (err) {
      this.error = errorMessage(err)
    }
  }

  /** Follows changes made elsewhere; returns the unsubscribe. */
  connect(): () => void {
    return onEvent('settings.changed', (s) => {
      this.settings = s
    })
  }

  /** Saves a new detection threshold (0.05..0.95); throws what the app answered on failure. */
  async setDetectionThreshold(value: number): Promise<void> {
    const v = Math.round(Math.max(0.05, Math.min(0.95, value)) * 100) / 100
    this.saving = true
    try {
      this.settings = await call('settings.set', { detectionThreshold: v })
      this.error = null
    } catch (err) {
      this.error = errorMessage(err)
      throw err
    } finally {
      this.saving = false
    }
  }
}
