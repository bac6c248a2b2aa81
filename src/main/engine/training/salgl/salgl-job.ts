/**
 * One salgl training run on cached head inputs: the project's seeded split (the same labelled,
 * validation and held-out parts as the SARL-GAT training of the same split and seed), the
 * untrained head (k-means scenes, P^k from the training labels), training with early stopping on
 * the validation part, and the held-out classification report. Pure computation on the cache.
 */
import type { HeadParams } from '../../head/head-params.js'
import type { CachedPhoto } from '../input-cache.js'
import { splitIndices, type Split } from '../split.js'
import { initBackend, type TrainingBackend } from '../tf-backend.js'
import { evaluateSalgl, type SalglHeldOut } from './salgl-evaluate.js'
import { initialSalgl } from './salgl-init.js'
import type { SalglParams } from './salgl-params.js'
import { sceneProbabilities } from './salgl-reference.js'
import { DEFAULT_SALGL_SETTINGS, trainSalgl, type SalglEpoch, type SalglSettings, type SalglTrainResult } from './salgl-train.js'

/** The head's sizes (K, d, T) and what the run needs. */
export interface SalglJob {
  photos: CachedPhoto[]
  classNames: string[]
  /** C x G class word vectors (the SARL-GAT head's `classWords`). */
  classWords: Float32Array
  wordDim: number
  featureSource: string
  featureDim: number
  split: number
  seed: number
  validation: number
  scenes: number
  nodeDim?: number
  steps?: number
  settings?: Partial<SalglSettings>
  /** Entropy-loss steps of the scene model's start after k-means (default 600, the scene model's; 0 = k-means alone). */
  sceneSteps?: number
  backend?: TrainingBackend
  /** A SARL-GAT head whose classifier is scored beside (e.g. one trained on the same split). */
  compare?: HeadParams
  modelVersion?: string
  onEpoch?(e: SalglEpoch): void
  signal?: AbortSignal
}

/** What a run produces. */
export interface SalglJobResult {
  params: SalglParams
  split: Split
  settings: SalglSettings
  backend: string
  training: Omit<SalglTrainResult, 'params'>
  /** Training photos per k-means scene at the start. */
  startSizes: number[]
  heldOut?: SalglHeldOut
}

/** Runs a job (see the module comment). */
export async function runSalglJob(job: SalglJob): Promise<SalglJobResult> {
  const backend = await initBackend(job.backend ?? 'wasm')
  const split = splitIndices(job.photos.length, job.split, job.seed, job.validation)
  const settings = { ...DEFAULT_SALGL_SETTINGS, ...job.settings, seed: job.seed }
  const train = split.train.map((i) => job.photos[i])
  const start = initialSalgl({
    header: {
      modelVersion: job.modelVersion ?? `salgl-1:${job.featureSource}:K${job.scenes}:split${job.split}:seed${job.seed}`,
      description: `SALGL label refinement over the detector's evidence (K ${job.scenes}, split ${job.split}, seed ${job.seed})`,
      classNames: job.classNames,
      featureSource: job.featureSource,
      featureDim: job.featureDim,
      wordDim: job.wordDim,
      scenes: job.scenes,
      nodeDim: job.nodeDim ?? 32,
      steps: job.steps ?? 3,
      clamp: 0.01,
    },
    classWords: job.classWords,
    features: train.map((p) => p.input.photoFeature),
    labels: train.map((p) => p.labels),
    seed: job.seed,
    sceneSteps: job.sceneSteps ?? 600,
  })
  const startSizes = Array.from({ length: job.scenes }, () => 0)
  for (const p of train) {
    const pi = sceneProbabilities(start, p.input.photoFeature)
    startSizes[pi.indexOf(Math.max(...pi))]++
  }
  const { params, ...training } = await trainSalgl({ start, photos: job.photos, train: split.train, validation: split.validation, onEpoch: job.onEpoch, signal: job.signal }, settings)
  const heldOut = split.heldOut.length > 1 ? evaluateSalgl(params, split.heldOut.map((i) => job.photos[i]), job.compare) : undefined
  return { params, split, settings, backend, training, startSizes, heldOut }
}
