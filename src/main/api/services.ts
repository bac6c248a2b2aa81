/**
 * The services the API handlers run over. The composition roots (Electron main, `serve`) create
 * them; engine services (the inference process, the store) plug in here as they arrive.
 */
import { checkPack, defaultPackDir } from '../engine/models/pack.js'
import type { ModelEntry } from '../engine/models/manifest.js'
import type { ModelFileStatus } from '../../shared/api-contract.js'
import { ApiError } from '../../shared/envelope.js'
import { version as packageVersion } from '../../../package.json'

/** One model of the pack and how its file compares with the manifest. */
export interface ModelCheck {
  entry: Pick<ModelEntry, 'name' | 'role' | 'source' | 'file' | 'sha256' | 'bytes'>
  status: ModelFileStatus
}

/** Anything that can say which execution provider inference runs on (later: the inference engine). */
export interface ProviderSource {
  /** The provider in use, or undefined while the engine has not started. */
  provider(): Promise<string | undefined>
}

/** Everything the handlers may use. */
export interface ApiServices {
  app: { version: string; platform: string }
  models: {
    /** Absolute folder of the model pack. */
    packDir: string
    /** Reads the manifest and verifies every file; throws ApiError('pack-unavailable') without a pack. */
    check(): ModelCheck[]
  }
  /** Absent until the inference engine is wired in. */
  inference?: ProviderSource
}

/** Options of {@link createServices}. */
export interface CreateServicesOptions {
  /** Model pack folder; default: $CONSTELLA_MODELS, else resources/models of the project. */
  packDir?: string
  /** App version; default: package.json's. */
  version?: string
  inference?: ProviderSource
}

/** Creates the services over the model pack on disk. */
export function createServices(options: CreateServicesOptions = {}): ApiServices {
  const packDir = options.packDir ?? defaultPackDir()
  return {
    app: { version: options.version ?? packageVersion, platform: process.platform },
    models: {
      packDir,
      check() {
        let results: ReturnType<typeof checkPack>
        try {
          results = checkPack(packDir)
        } catch (err) {
          // checkPack only throws when the manifest itself is missing or unreadable.
          throw new ApiError('pack-unavailable', err instanceof Error ? err.message : String(err))
        }
        return results.map(({ entry, status }) => ({ entry, status }))
      },
    },
    ...(options.inference ? { inference: options.inference } : {}),
  }
}
