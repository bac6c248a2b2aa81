/**
 * The heavy part of computing scenes, run in a worker thread: read every indexed photo's context
 * feature, train the scene model (k-means++ start, entropy loss), and compute pi for every photo.
 *
 * The context feature v is `feature-gap` (METHODS.photoFeature): F_0, the global average pool of
 * the head's feature map (the detector's stride-32 `features_s32`, 120 channels) over the whole
 * photo — exactly SALGL eq. 4's v-bar, the mean of the regional features v_j of the map the
 * label representations come from — and already stored for every indexed photo.
 */
import type { Database } from 'better-sqlite3'
import { METHODS } from '../store/embedding-methods.js'
import { balanceOf, type Balance } from './balance.js'
import { readPhotoVectors } from './photo-vectors.js'
import { modelToBlob, scenePosteriors } from './scene-model.js'
import { trainSceneModel, type SceneTrainingOptions } from './train-scene-model.js'

/** Options of a scene computation. */
export interface SceneTaskOptions extends Omit<SceneTrainingOptions, 'onProgress' | 'signal'> {
  /** The photo vector method v comes from; default `feature-gap`. */
  method?: string
}

/** What the worker hands back. */
export interface SceneTaskResult {
  k: number
  dims: number
  method: string
  seed: number
  ids: Int32Array
  /** n x K. */
  pi: Float32Array
  params: Uint8Array
  balance: Balance
  finalLoss: { l1: number; l2: number }
  kMeansIterations: number
  /** Milliseconds: reading the features, training, assigning. */
  timings: { read: number; train: number; assign: number }
}

/** Reads, trains and assigns (see the file comment). */
export function runSceneTask(db: Database, options: SceneTaskOptions, progress: (fraction: number, stage: string) => void): SceneTaskResult {
  const method = options.method ?? METHODS.photoFeature
  const seed = options.seed ?? 1
  const t0 = performance.now()
  progress(0, 'reading photo features')
  const { ids, dims, vectors } = readPhotoVectors(db, method)
  const n = ids.length
  const t1 = performance.now()
  const training = trainSceneModel(vectors, n, dims, { ...options, seed, onProgress: (f) => progress(0.1 + 0.8 * f, 'training the scene model') })
  const t2 = performance.now()
  progress(0.9, 'assigning photos to scenes')
  const pi = scenePosteriors(training.model, vectors, n) // vectors were standardised in place by training
  const t3 = performance.now()
  return {
    k: options.k, dims, method, seed, ids, pi, params: new Uint8Array(modelToBlob(training.model)), balance: balanceOf(pi, n, options.k),
    finalLoss: training.finalLoss, kMeansIterations: training.kMeans.iterations, timings: { read: t1 - t0, train: t2 - t1, assign: t3 - t2 },
  }
}
