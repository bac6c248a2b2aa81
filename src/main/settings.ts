/**
 * User settings (library folders, model pack folder), kept as JSON in Electron's userData folder
 * and validated with zod on every read.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { app } from 'electron'
import { z } from 'zod'

/** The settings file's schema; unknown keys are dropped, missing ones take their defaults. */
export const settingsSchema = z.object({
  /** Folders whose photos the app may show (see protocol.ts). */
  libraryRoots: z.array(z.string()).default([]),
  /** Model pack folder; default: $CONSTELLA_MODELS, else resources/models. */
  packDir: z.string().optional(),
})

/** Validated settings. */
export type AppSettings = z.output<typeof settingsSchema>

/** Reads a settings file; a missing file gives the defaults, an invalid one is reported and ignored. */
export function loadSettings(file: string): AppSettings {
  if (!existsSync(file)) return settingsSchema.parse({})
  try {
    return settingsSchema.parse(JSON.parse(readFileSync(file, 'utf8')))
  } catch (err) {
    console.error(`settings file ${file} is invalid and was ignored: ${err instanceof Error ? err.message : err}`)
    return settingsSchema.parse({})
  }
}

/** Loads the settings of this user. Call first, after `app.whenReady()`. */
export function setupSettings(): AppSettings {
  return loadSettings(path.join(app.getPath('userData'), 'settings.json'))
}
