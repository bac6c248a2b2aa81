/**
 * What the app trains on: the library's photos with human-known labels, and their head inputs
 * read from the rows indexing stored (F_0, evidence, per-object features): the detector never runs
 * again. Known positives: a person's positive labels (and, on a photo marked reviewed, the model's
 * positives the person left standing); known negatives: a person's negative labels. Every other
 * class is unknown, which the loss ignores. Names a person added beyond the head's classes are
 * left out (the head has no output for them).
 */
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { GraphInput } from '../engine/head/graph-embed.js'
import type { Library } from '../engine/library/library.js'
import { nodeObjects, storedGraphInput } from '../engine/search/graph-input.js'
import { writeInputCache, type CachedPhoto } from '../engine/training/input-cache.js'

/** Least photos with human-known labels a training run needs (train, validation and held-out parts). */
export const MIN_TRAINING_PHOTOS = 8

/** One photo with human-known labels. */
export interface KnownLabels {
  photoId: number
  path: string
  labels: number[]
  negatives: number[]
}

interface Row { photo_id: number; path: string; class_id: number; state: string; source: string; origin: string | null; reviewed: number }

/** The indexed photos with at least one human-known positive label, by photo id. */
export function humanKnownLabels(lib: Library): KnownLabels[] {
  const classes = lib.head.header.classNames.length
  const rows = lib.store.db.prepare(`
    SELECT l.photo_id, p.path, l.class_id, l.state, l.source, l.origin, p.reviewed_at IS NOT NULL AS reviewed
    FROM labels l JOIN photos p ON p.id = l.photo_id
    WHERE p.status = 'indexed' AND l.class_id < ? AND (l.source = 'human' OR p.reviewed_at IS NOT NULL)
      AND l.photo_id IN (SELECT photo_id FROM labels WHERE source = 'human' UNION SELECT id FROM photos WHERE reviewed_at IS NOT NULL)
    ORDER BY l.photo_id, l.class_id, l.source = 'human' DESC`).all(classes) as Row[]
  const byPhoto = new Map<number, KnownLabels & { seen: Set<number> }>()
  for (const r of rows) {
    let p = byPhoto.get(r.photo_id)
    if (!p) byPhoto.set(r.photo_id, (p = { photoId: r.photo_id, path: r.path, labels: [], negatives: [], seen: new Set() }))
    if (p.seen.has(r.class_id)) continue // the human row came first and wins
    p.seen.add(r.class_id)
    if (r.source === 'model' && !(r.reviewed && r.state === 'positive')) continue
    if (r.state === 'positive') p.labels.push(r.class_id)
    else if (r.state === 'negative' && r.source === 'human') p.negatives.push(r.class_id)
  }
  return [...byPhoto.values()].filter((p) => p.labels.length > 0).map(({ seen: _seen, ...p }) => p)
}

/** The training set's head inputs from the stored rows, written as a head-input cache file. */
export async function writeLibraryInputCache(lib: Library, photos: readonly KnownLabels[], dir: string, signal?: AbortSignal,
  onProgress?: (done: number, total: number) => void): Promise<{ file: string; photos: CachedPhoto[]; missing: number }> {
  const ctx = lib.searchContext()
  const cached: CachedPhoto[] = []
  let missing = 0
  for (let i = 0; i < photos.length; i++) {
    if (signal?.aborted) throw new Error('cancelled')
    const p = photos[i]
    const input: GraphInput | undefined = storedGraphInput(ctx, p.photoId, nodeObjects(ctx, p.photoId))
    if (input) cached.push({ file: p.path, labels: p.labels, negatives: p.negatives, input })
    else missing++
    if (i % 50 === 49) {
      onProgress?.(i + 1, photos.length)
      await new Promise((r) => setImmediate(r)) // long libraries: let requests in between
    }
  }
  onProgress?.(photos.length, photos.length)
  mkdirSync(dir, { recursive: true })
  const file = path.join(dir, 'head-inputs.bin')
  const h = lib.head.header
  writeInputCache(file, { source: { detector: lib.versions.detector, featureSource: h.featureSource, featureDim: h.featureDim, classNames: [...h.classNames] }, photos: cached })
  return { file, photos: cached, missing }
}
