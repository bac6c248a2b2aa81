/**
 * Builds (or tops up) the head-input cache of a labelled set: the photos not cached yet go once
 * through the product's own pipeline (a temporary library, `indexLibrary`), and their GraphInputs
 * are kept. A cache is per detector and feature map; photos are matched by path, size and mtime,
 * and labels always come from the set given now (they may change without the photos changing).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createHash } from 'node:crypto'
import type { GraphInput } from '../head/graph-embed.js'
import { MAX_OBJECTS, NODE_THRESHOLD, SAME_PLACE_IOU } from '../analysis/analyze-photo.js'
import { indexLibrary } from '../library/indexer.js'
import { EVIDENCE_THRESHOLD, Library } from '../library/library.js'
import type { ProviderSetting } from '../models/sessions.js'
import { readInputCache, writeInputCache, type CachedPhoto, type InputCache } from './input-cache.js'

/** One labelled photo (the shape of `eval/dataset.ts`'s images). */
export interface LabelledImage {
  file: string
  /** Absolute path. */
  path: string
  labels: number[]
  negatives?: number[]
  split?: string
}

/** Options of {@link buildInputCache}. */
export interface BuildCacheOptions {
  /** Folder of cache files (default: $CONSTELLA_CACHE or ~/.cache/constella/head-inputs). */
  cacheDir?: string
  packDir?: string
  provider?: ProviderSetting
  /** Ignore the cached photos and run the detector over every photo again. */
  rebuild?: boolean
  onProgress?(done: number, total: number): void
}

/** The result: the cache in dataset order, where it is, and how many photos ran the detector now. */
export interface BuiltCache {
  cache: InputCache
  file: string
  analysed: number
  failed: { file: string; reason: string }[]
  seconds: number
}

/** The default cache folder. */
export function defaultCacheDir(): string {
  if (process.env.CONSTELLA_CACHE) return path.join(path.resolve(process.env.CONSTELLA_CACHE), 'head-inputs')
  return path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'constella', 'head-inputs')
}

/**
 * Bumped whenever the analysis that forms a photo's objects changes in a way its constants do not
 * show (2: detections of different classes at one place merge into one object).
 */
const CACHE_REVISION = 2

const stamp = (file: string): string => {
  const s = statSync(file, { throwIfNoEntry: false })
  return s ? `${s.size}:${Math.round(s.mtimeMs)}` : 'missing'
}

/** Runs the detector over the photos missing from the cache and returns the cache of `images`. */
export async function buildInputCache(images: LabelledImage[], options: BuildCacheOptions = {}): Promise<BuiltCache> {
  const started = Date.now()
  const dir = mkdtempSync(path.join(os.tmpdir(), 'constella-cache-'))
  const lib = await Library.open({ dir, packDir: options.packDir, provider: options.provider, owner: { command: 'train' } })
  try {
    const h = lib.head.header
    const source = { detector: lib.versions.detector, featureSource: h.featureSource, featureDim: h.featureDim, classNames: h.classNames }
    const cacheDir = options.cacheDir ?? defaultCacheDir()
    mkdirSync(cacheDir, { recursive: true })
    const pipeline = [NODE_THRESHOLD, MAX_OBJECTS, SAME_PLACE_IOU, EVIDENCE_THRESHOLD, CACHE_REVISION]
    const key = createHash('sha256').update(JSON.stringify([source.detector, source.featureSource, pipeline])).digest('hex').slice(0, 16)
    const file = path.join(cacheDir, `${key}.bin`)
    const known = new Map<string, CachedPhoto>()
    if (existsSync(file) && !options.rebuild) {
      for (const p of readInputCache(file).photos) known.set(`${p.file}|${p.stamp ?? ''}`, p)
    }
    const inputs = new Map<string, GraphInput>()
    for (const img of images) {
      const hit = known.get(`${img.path}|${stamp(img.path)}`)
      if (hit) inputs.set(img.path, hit.input)
    }
    const missing = images.filter((img) => !inputs.has(img.path))
    let done = images.length - missing.length
    options.onProgress?.(done, images.length)
    const failed: BuiltCache['failed'] = []
    if (missing.length > 0) {
      const summary = await indexLibrary(lib, missing.map((img) => img.path), {
        onAnalyzed: (photoId, _photo, result) => {
          const p = lib.store.photos.get(photoId)?.path
          if (p) inputs.set(p, result.graphInput)
        },
        onPhotoDone: () => options.onProgress?.(++done, images.length),
      })
      failed.push(...summary.failed.map((f) => ({ file: f.path, reason: f.reason })), ...summary.unreadable.map((u) => ({ file: u.path, reason: u.reason })))
      // every cached photo of this detector is kept (another set may share the cache), keyed by path and stamp
      for (const img of missing) {
        const input = inputs.get(img.path)
        if (input) known.set(`${img.path}|${stamp(img.path)}`, { file: img.path, labels: [], stamp: stamp(img.path), input })
      }
      writeInputCache(file, { source, photos: [...known.values()] })
    }
    const photos = images.flatMap((img): CachedPhoto[] => {
      const input = inputs.get(img.path)
      return input ? [{ file: img.path, labels: img.labels, negatives: img.negatives, split: img.split, input }] : []
    })
    return { cache: { source, photos }, file, analysed: missing.length, failed, seconds: (Date.now() - started) / 1000 }
  } finally {
    await lib.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
