/** User settings, persisted in the library; every change is pushed as `settings.changed`. */
import type { AppSettings, ParsedRequest } from '../../shared/api-contract.js'
import type { Library } from '../engine/library/library.js'
import { SettingsRepository } from '../engine/store/settings-repository.js'
import type { EventBus } from './event-bus.js'

/** Settings of a new library. */
export const DEFAULT_SETTINGS: AppSettings = { detectionThreshold: 0.25, sceneCount: 6 }

/** Reads and changes the settings of one library. */
export class SettingsService {
  private readonly repo: SettingsRepository

  constructor(lib: Library, private readonly events: EventBus) {
    this.repo = new SettingsRepository(lib.store.db, Date.now)
  }

  /** The settings in force (defaults for what was never set). */
  get(): AppSettings {
    const threshold = this.repo.get('detectionThreshold')
    const scenes = this.repo.get('sceneCount')
    return {
      detectionThreshold: typeof threshold === 'number' ? threshold : DEFAULT_SETTINGS.detectionThreshold,
      sceneCount: typeof scenes === 'number' ? scenes : DEFAULT_SETTINGS.sceneCount,
    }
  }

  /** Changes the given settings; returns them all. */
  set(patch: ParsedRequest<'settings.set'>): AppSettings {
    if (patch.detectionThreshold !== undefined) this.repo.set('detectionThreshold', patch.detectionThreshold)
    if (patch.sceneCount !== undefined) this.repo.set('sceneCount', patch.sceneCount)
    const settings = this.get()
    this.events.emit('settings.changed', settings)
    return settings
  }
}
