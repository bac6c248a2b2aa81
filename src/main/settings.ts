/**
 * Where the desktop app keeps its library and finds its model pack, from a JSON file in Electron's
 * userData folder (validated with zod). $CONSTELLA_LIBRARY and $CONSTELLA_MODELS win over the
 * file; without either the engine's defaults apply. Everything else (folders, threshold) lives in
 * the library itself, shared with browser mode.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { app } from 'electron'
import { z } from 'zod'

/** The settings file's schema; unknown keys are dropped. */
export const settingsSchema = z.object({
  /** Library folder (the SQLite store, indexes, thumbnails). */
  libraryDir: z.string().min(1).optional(),
  /** Model pack folder. */
  packDir: z.string().min(1).optional(),
})

/** Validated settings: only what was chosen; absent means the engine's default. */
export type ShellSettings = z.output<typeof settingsSchema>

/** Reads a settings file; a missing file gives no overrides, an invalid one is reported and ignored. */
export function loadSettings(file: string): ShellSettings {
  if (!existsSync(file)) return {}
  try {
    return settingsSchema.parse(JSON.parse(readFileSync(file, 'utf8')))
  } catch (err) {
    console.error(`settings file ${file} is invalid and was ignored: ${err instanceof Error ? err.message : err}`)
    return {}
  }
}

/** The environment wins over the file (tests and scripts point the app elsewhere with it). */
export function applyEnvironment(settings: ShellSettings, env: NodeJS.ProcessEnv = process.env): ShellSettings {
  const libraryDir = env.CONSTELLA_LIBRARY ? path.resolve(env.CONSTELLA_LIBRARY) : settings.libraryDir
  const packDir = env.CONSTELLA_MODELS ? path.resolve(env.CONSTELLA_MODELS) : settings.packDir
  return { ...(libraryDir ? { libraryDir } : {}), ...(packDir ? { packDir } : {}) }
}

/** Loads the settings of this user. Call first, after `app.whenReady()`. */
export function setupSettings(): ShellSettings {
  return applyEnvironment(loadSettings(path.join(app.getPath('userData'), 'settings.json')))
}
