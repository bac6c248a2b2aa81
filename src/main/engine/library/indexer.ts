/**
 * `constella index`: incremental, resumable indexing of photo folders. The scan (hashing, store
 * records) feeds a bounded pool of photo jobs while it runs, so hashing, decoding (sharp's
 * threads), inference (the engine process) and store writes of different photos overlap. Unchanged photos are skipped, moved ones keep their
 * analysis, duplicates reuse it, removed ones are pruned; a killed run resumes where it stopped.
 */
import { existsSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { hashFile } from '../io/content-hash.js'
import { damagedDatabase, isDatabaseCorruption } from '../store/errors.js'
import { walkPhotos } from '../io/walk.js'
import type { Library } from './library.js'
import { workQueue } from './work-queue.js'
import { METHODS } from './store-vector-source.js'
import { indexStoredPhoto, runPhotoJob, unindexPhoto, type AnalysisHook } from './photo-job.js'

/** Counts and failures of one run. */
export interface IndexSummary {
  runId: number
  resumed: boolean
  found: number
  indexed: number
  /** Unchanged photos (moved ones are counted in `moved` only). */
  skipped: number
  moved: number
  /** Unchanged photos analysed again because the model pack changed since they were indexed. */
  reanalysed: number
  duplicates: number
  failed: { path: string; reason: string }[]
  pruned: number
  unreadable: { path: string; reason: string }[]
  /** Roots that exist but hold no photo file (see `PHOTO_EXTENSIONS`). */
  emptyRoots: string[]
  /** The run was cancelled through `signal`: photos not yet analysed stay pending, nothing was pruned. */
  cancelled: boolean
  seconds: number
}

/** Options of one run. */
export interface IndexOptions {
  /** Photos analysed at once (overlap of decode, inference and writes). Default 3. */
  concurrency?: number
  /** Try failed photos again even if unchanged. */
  retryFailed?: boolean
  onFound?(total: number): void
  /** Called once per photo found; `reason` says why a photo failed (ok false). */
  onPhotoDone?(file: string, ok: boolean, reason?: string): void
  onAnalyzed?: AnalysisHook
  /**
   * Cancels the run: no new photo is started, photos in flight finish and are saved, the run is
   * recorded as 'cancelled' and the indexes are saved. Unstarted photos stay pending for the next run.
   */
  signal?: AbortSignal
}

/** Indexes `roots` into the library. */
export async function indexLibrary(lib: Library, roots: string[], options: IndexOptions = {}): Promise<IndexSummary> {
  if (lib.readOnly) throw new Error(`the library ${lib.paths.dir} was opened read-only; open it without readOnly to index`)
  const started = Date.now()
  const absRoots = roots.map((r) => path.resolve(r))
  const { run, resumed } = lib.store.runs.resumeOrStart('index', { roots: absRoots })
  if (options.retryFailed) lib.store.photos.retryFailed()
  const walk = await walkPhotos(absRoots)
  options.onFound?.(walk.files.length)
  const emptyRoots = absRoots.filter((r) => existsSync(r) && !walk.files.some((f) => f === r || f.startsWith(r + path.sep)))
  const s: IndexSummary = {
    runId: run.id, resumed, found: walk.files.length, indexed: 0, skipped: 0, moved: 0, reanalysed: 0, duplicates: 0,
    failed: [], pruned: 0, unreadable: walk.problems, emptyRoots, cancelled: false, seconds: 0,
  }
  const cancelled = (): boolean => options.signal?.aborted === true
  // Photos that need analysis go to the pool as soon as the scan has recorded them, so hashing
  // and the store writes of the scan overlap with decoding and inference.
  let sinceSave = 0
  const jobs = workQueue<{ id: number; file: string }>(options.concurrency ?? 3, async ({ id, file }) => {
    if (cancelled()) return // stays pending for the next run
    const outcome = await runPhotoJob(lib, id, file, options.onAnalyzed)
    if (outcome.ok) s.indexed++
    else s.failed.push({ path: file, reason: outcome.reason })
    if (++sinceSave >= 200) {
      lib.indexes.save()
      sinceSave = 0
    }
    options.onPhotoDone?.(file, outcome.ok, outcome.ok ? undefined : outcome.reason)
  })
  try {
    for (const file of walk.files) {
      if (cancelled()) break
      try {
        const info = await stat(file)
        const known = lib.store.photos.findByPath(file)
        if (known && known.status !== 'pending' && known.bytes === info.size && known.mtimeMs === info.mtimeMs) {
          lib.store.photos.markSeen(known.id, run.id)
          if (known.status === 'indexed' && analysedByOlderModels(lib, known.id)) {
            s.reanalysed++
            jobs.push({ id: known.id, file })
            continue
          }
          s.skipped++
          options.onPhotoDone?.(file, true)
          continue
        }
        const contentHash = await hashFile(file)
        // New content at a known path: recordScan deletes the old objects, so their vectors must
        // leave the indexes now, while the store still lists them.
        if (known && known.contentHash !== contentHash) unindexPhoto(lib, known.id)
        const outcome = lib.store.recordScan({ path: file, contentHash, bytes: info.size, mtimeMs: info.mtimeMs }, run.id, (p) => !existsSync(p))
        if (outcome.change === 'moved') s.moved++
        if (outcome.photo.status === 'pending') jobs.push({ id: outcome.photo.id, file })
        else {
          if (outcome.change === 'duplicate') {
            s.duplicates++
            indexStoredPhoto(lib, outcome.photo.id)
          } else if (outcome.change !== 'moved') s.skipped++
          options.onPhotoDone?.(file, true)
        }
      } catch (err) {
        if (isDatabaseCorruption(err)) throw damagedDatabase(lib.store.file, err)
        s.unreadable.push({ path: file, reason: (err as Error).message })
        options.onPhotoDone?.(file, false, (err as Error).message)
      }
    }
  } finally {
    await jobs.close()
  }
  s.cancelled = cancelled()
  // A cancelled run has not seen every file: pruning now would delete photos that still exist.
  if (!s.cancelled) s.pruned = await prune(lib, run.id, absRoots, walk.problems.map((p) => p.path))
  lib.indexes.save()
  s.seconds = (Date.now() - started) / 1000
  const counts = { found: s.found, indexed: s.indexed, skipped: s.skipped, failed: s.failed.length, pruned: s.pruned }
  lib.store.runs.finish(run.id, s.cancelled ? 'cancelled' : 'completed', counts)
  return s
}

/** Whether a photo's stored embedding came from another head than the library's current one. */
function analysedByOlderModels(lib: Library, photoId: number): boolean {
  const stored = lib.store.embeddings.get({ kind: 'photo', photoId }, METHODS.photo)
  return stored !== undefined && stored.modelVersion !== lib.versions.head
}

/**
 * Removes photos under the folder roots that this run did not see. Photos under a folder that
 * could not be read are kept (an unmounted or locked folder must not wipe its photos).
 */
async function prune(lib: Library, runId: number, roots: string[], unreadable: string[]): Promise<number> {
  let pruned = 0
  const keep = (p: string) => unreadable.some((u) => p === u || p.startsWith(u + path.sep))
  for (const root of roots) {
    if (!existsSync(root) || !(await stat(root)).isDirectory()) continue
    for (const photo of lib.store.photos.listUnseen(runId, root)) {
      if (keep(photo.path)) lib.store.photos.markSeen(photo.id, runId)
      else unindexPhoto(lib, photo.id)
    }
    pruned += lib.store.photos.pruneUnseen(runId, root).length
  }
  return pruned
}
