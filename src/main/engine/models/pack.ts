/**
 * Locating, reading and verifying the built model pack. Every model file is checked against the
 * sha256 in the manifest before a session is created from it.
 */
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ModelEntry, ModelManifest } from './manifest.js'

/** The command that rebuilds the pack; every integrity error names it. */
export const REBUILD_COMMAND = 'npm run build:models -- --force'

/** Where the pack lives: $CONSTELLA_MODELS, else `resources/models` of the project. */
export function defaultPackDir(): string {
  if (process.env.CONSTELLA_MODELS) return path.resolve(process.env.CONSTELLA_MODELS)
  let dir = path.dirname(fileURLToPath(import.meta.url))
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir)
  return path.join(dir, 'resources', 'models')
}

/** A model file that is missing, truncated or altered. */
export class ModelIntegrityError extends Error {
  constructor(
    readonly file: string,
    readonly expectedSha256: string,
    readonly foundSha256: string | null,
  ) {
    super(
      foundSha256 === null
        ? `model file ${file} is missing (expected sha256 ${expectedSha256}). Rebuild the model pack: ${REBUILD_COMMAND}`
        : `model file ${file} does not match the manifest: expected sha256 ${expectedSha256}, found ${foundSha256}. ` +
          `It is truncated or was changed; rebuild the model pack: ${REBUILD_COMMAND}`,
    )
    this.name = 'ModelIntegrityError'
  }
}

/** Reads `manifest.json` of a pack, with a clear error when the pack was never built. */
export function readManifest(packDir = defaultPackDir()): ModelManifest {
  const file = path.join(packDir, 'manifest.json')
  if (!existsSync(file)) {
    throw new Error(`no model pack at ${packDir} (manifest.json is missing). Build it: ${REBUILD_COMMAND}`)
  }
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ModelManifest
  } catch (err) {
    throw new Error(`model pack manifest ${file} is unreadable (${(err as Error).message}). Rebuild it: ${REBUILD_COMMAND}`)
  }
}

/** Finds a model by name or throws an error listing the names in the pack. */
export function findModel(manifest: ModelManifest, name: string): ModelEntry {
  const entry = manifest.models.find((m) => m.name === name || m.role === name)
  if (!entry) throw new Error(`model "${name}" is not in the pack (have: ${manifest.models.map((m) => m.name).join(', ')})`)
  return entry
}

/** sha256 of a buffer, hex. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** Reads a model file and checks it against the manifest; returns its bytes. */
export function readVerifiedModel(packDir: string, entry: ModelEntry): Uint8Array {
  const file = path.join(packDir, entry.file)
  if (!existsSync(file)) throw new ModelIntegrityError(file, entry.sha256, null)
  const bytes = readFileSync(file)
  const found = sha256(bytes)
  const info = statSync(file)
  verified.set(file, { size: info.size, mtimeMs: info.mtimeMs, sha256: found })
  if (found !== entry.sha256) throw new ModelIntegrityError(file, entry.sha256, found)
  return bytes
}

/** Hashes of files already read in this process, keyed by path and valid while size and mtime hold. */
const verified = new Map<string, { size: number; mtimeMs: number; sha256: string }>()

/** Checks a model file without re-hashing it when it is unchanged since the last check. */
function verifyModelFile(packDir: string, entry: ModelEntry): void {
  const file = path.join(packDir, entry.file)
  if (!existsSync(file)) throw new ModelIntegrityError(file, entry.sha256, null)
  const info = statSync(file)
  const known = verified.get(file)
  if (known && known.size === info.size && known.mtimeMs === info.mtimeMs) {
    if (known.sha256 !== entry.sha256) throw new ModelIntegrityError(file, entry.sha256, known.sha256)
    return
  }
  readVerifiedModel(packDir, entry)
}

/** Status of each model for `constella models`: ok, missing or mismatched. */
export function checkPack(packDir = defaultPackDir()): { entry: ModelEntry; status: 'ok' | 'missing' | 'mismatch'; found?: string }[] {
  const manifest = readManifest(packDir)
  return manifest.models.map((entry) => {
    try {
      verifyModelFile(packDir, entry)
      return { entry, status: 'ok' as const }
    } catch (err) {
      const e = err as ModelIntegrityError
      return e.foundSha256 ? { entry, status: 'mismatch' as const, found: e.foundSha256 } : { entry, status: 'missing' as const }
    }
  })
}
