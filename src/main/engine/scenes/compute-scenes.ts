/**
 * Computing the scenes of a library and its map, for the app's jobs and the CLI: the heavy part in
 * a worker thread (worker-task.ts), the writes on the caller's connection (the library's writer).
 */
import type { Database } from 'better-sqlite3'
import { METHODS } from '../store/embedding-methods.js'
import { SceneMapRepository } from '../store/scene-map-repository.js'
import { SceneRepository } from '../store/scene-repository.js'
import type { MapLayoutOptions, MapLayoutResult } from './map-layout.js'
import { refreshScenes } from './scene-refresh.js'
import type { SceneTaskOptions, SceneTaskResult } from './scene-task.js'
import { saveScenes } from './scene-write.js'
import { runWorkerTask } from './worker-task.js'

/** Progress of a job: fraction done (0..1) and what it does now. */
export type JobProgress = (fraction: number, stage: string) => void

/** What a scene computation did. */
export interface ComputedScenes {
  modelId: number
  photos: number
  result: SceneTaskResult
  milliseconds: { worker: number; save: number }
}

/**
 * Finds K scenes over the library at `dbFile` (open as `db`, the writer) and replaces the stored
 * ones. Changes made meanwhile are marked by the triggers and folded in at the end; do not call
 * `refreshScenes` on the library while this runs (it would count a photo the final write counts again).
 */
export async function computeScenes(db: Database, dbFile: string, options: SceneTaskOptions, progress: JobProgress = () => {},
  signal?: AbortSignal, now: () => number = Date.now): Promise<ComputedScenes> {
  new SceneRepository(db, now).clearDirty('all') // this computation counts every photo as it is now
  const t0 = performance.now()
  const result = await runWorkerTask<SceneTaskResult>({ kind: 'scenes', dbFile, options }, (f, stage) => progress(0.8 * f, stage), signal)
  const t1 = performance.now()
  progress(0.8, 'saving scenes and counting labels')
  const modelId = await saveScenes(db, result, { now, signal, onProgress: (f) => progress(0.8 + 0.2 * f, 'saving scenes and counting labels') })
  while (refreshScenes(db, 5000, now) > 0) await new Promise((r) => setImmediate(r))
  progress(1, 'done')
  return { modelId, photos: result.ids.length, result, milliseconds: { worker: t1 - t0, save: performance.now() - t1 } }
}

/** Computes the map of the photo embeddings H and stores it. */
export async function computeMap(db: Database, dbFile: string, options: MapLayoutOptions, progress: JobProgress = () => {},
  signal?: AbortSignal, now: () => number = Date.now): Promise<MapLayoutResult> {
  const method = options.method ?? METHODS.photo
  const result = await runWorkerTask<MapLayoutResult>({ kind: 'map', dbFile, options: { ...options, method } }, (f, stage) => progress(0.95 * f, stage), signal)
  new SceneMapRepository(db, now).put(method, result.ids, result.xy, { sample: result.sample, milliseconds: result.milliseconds })
  progress(1, 'done')
  return result
}
