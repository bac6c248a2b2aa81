/**
 * `constella train` as an engine function: the head-input cache of a labelled set (the detector
 * runs only for photos not cached yet), a training job in its own process, and the trained head's
 * folder (parameter file, ONNX graph, metrics, held-out part).
 */
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { defaultPackDir } from '../models/pack.js'
import { packHeads } from './untrained-head.js'
import type { ProviderSetting } from '../models/sessions.js'
import { buildInputCache, type LabelledImage } from './build-input-cache.js'
import { decodeHead } from '../head/head-params.js'
import type { TrainingBackend } from './tf-backend.js'
import { DEFAULT_INIT, type InitOptions, type TrainJob } from './train-job.js'
import { DEFAULT_SETTINGS, type EpochReport, type TrainSettings } from './train-loop.js'
import { startTraining } from './train-process.js'
import { writeTrainedHead, type TrainedHeadMetrics } from './write-trained-head.js'

/** What every training from a labelled set takes (the SARL-GAT head's and the salgl head's). */
export interface DatasetRunOptions {
  /** The labels file (recorded in the metrics) and its images. */
  datasetFile: string
  classes: string[]
  images: LabelledImage[]
  outDir: string
  split?: number
  seed?: number
  validation?: number
  backend?: TrainingBackend
  packDir?: string
  provider?: ProviderSetting
  cacheDir?: string
  rebuildCache?: boolean
  /** The command line recorded as the recipe. */
  recipe?: string
  signal?: AbortSignal
  onCacheProgress?(done: number, total: number): void
}

/** Options of {@link trainFromDataset}. */
export interface TrainFromDatasetOptions extends DatasetRunOptions {
  init?: Partial<InitOptions>
  settings?: Partial<TrainSettings>
  /** Continue from the checkpoint in `outDir` (same dataset, split, seed and settings). */
  resume?: boolean
  onStage?(stage: string): void
  onEpoch?(report: EpochReport): void
}

/** Trains a head on a labelled set and writes its folder; returns the metrics written. */
export async function trainFromDataset(o: TrainFromDatasetOptions): Promise<TrainedHeadMetrics> {
  const packDir = o.packDir ?? defaultPackDir()
  o.onStage?.('cache')
  const built = await buildInputCache(o.images, { cacheDir: o.cacheDir, packDir, provider: o.provider, rebuild: o.rebuildCache, onProgress: o.onCacheProgress })
  if (built.failed.length > 0) {
    throw new Error(`${built.failed.length} photos could not be analysed (first: ${built.failed[0].file}: ${built.failed[0].reason}); fix or remove them from the labels file`)
  }
  const heads = packHeads(packDir)
  const split = o.split ?? 0.7
  const seed = o.seed ?? 1
  const job: TrainJob = {
    cacheFile: built.file,
    photos: built.cache.photos.map((p) => ({ path: p.file, labels: p.labels, negatives: p.negatives, split: p.split })),
    split,
    seed,
    validation: o.validation ?? 0.2,
    init: { ...DEFAULT_INIT, ...o.init },
    settings: { ...DEFAULT_SETTINGS, ...o.settings, seed },
    backend: o.backend ?? 'wasm',
    baseHead: heads.untrained,
    currentHead: heads.current,
    modelVersion: `sarl-gat-trained-1:${decodeHead(heads.untrained).header.featureSource}:${path.basename(path.dirname(path.resolve(o.datasetFile)))}:split${split}:seed${seed}`,
    checkpointDir: path.join(o.outDir, 'checkpoint'),
    resume: o.resume,
  }
  mkdirSync(job.checkpointDir!, { recursive: true })
  const run = startTraining(job, { onEpoch: o.onEpoch, onStage: o.onStage })
  const cancel = () => run.cancel()
  o.signal?.addEventListener('abort', cancel, { once: true })
  try {
    const result = await run.done
    return writeTrainedHead(o.outDir, job, result, {
      dataset: path.resolve(o.datasetFile),
      classes: o.classes,
      recipe: o.recipe ?? `constella train --dataset ${o.datasetFile} --split ${split} --seed ${seed} --out ${o.outDir}`,
      cache: { file: built.file, analysed: built.analysed, seconds: built.seconds },
    })
  } finally {
    o.signal?.removeEventListener('abort', cancel)
  }
}
