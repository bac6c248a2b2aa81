/**
 * A trained head's folder: the parameter file and its ONNX graph (the pack's file names), the
 * run's metrics (before/after on the held-out part, the history, the recipe) and the held-out part
 * as a dataset file, so `constella eval --dataset DIR/heldout.json --head DIR` scores exactly it.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { TRAINED_FILES } from './head-pack.js'
import type { TrainJob, TrainJobResult } from './train-job.js'

/** What the metrics file records besides the result. */
export interface RunContext {
  dataset: string
  classes: string[]
  /** The command that reproduces the run. */
  recipe: string
  cache: { file: string; analysed: number; seconds: number }
}

/** The metrics file's content. */
export interface TrainedHeadMetrics {
  modelVersion: string
  recipe: string
  dataset: string
  photos: { labelled: number; train: number; validation: number; heldOut: number }
  split: number
  seed: number
  init: TrainJob['init']
  settings: TrainJob['settings']
  backend: string
  bestEpoch: number
  epochs: number
  cancelled: boolean
  classifier?: TrainJobResult['training']['classifier']
  residual: TrainJobResult['residual']
  heldOut?: TrainJobResult['heldOut']
  history: TrainJobResult['training']['history']
  timings: Record<string, number> & { secondsPerEpoch: number }
  cache: RunContext['cache']
}

function writeAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, data)
  renameSync(tmp, file)
}

/** Writes the folder; returns the metrics written. */
export function writeTrainedHead(outDir: string, job: TrainJob, result: TrainJobResult, context: RunContext): TrainedHeadMetrics {
  mkdirSync(outDir, { recursive: true })
  writeAtomic(path.join(outDir, TRAINED_FILES.params), result.head)
  writeAtomic(path.join(outDir, TRAINED_FILES.graph), result.graph)
  const { train, validation, heldOut } = result.split
  const history = result.training.history
  const metrics: TrainedHeadMetrics = {
    modelVersion: job.modelVersion,
    recipe: context.recipe,
    dataset: context.dataset,
    photos: { labelled: train.length + validation.length, train: train.length, validation: validation.length, heldOut: heldOut.length },
    split: job.split,
    seed: job.seed,
    init: job.init,
    settings: job.settings,
    backend: result.backend,
    bestEpoch: result.training.bestEpoch,
    epochs: history.length,
    cancelled: result.training.cancelled,
    classifier: result.training.classifier,
    residual: result.residual,
    heldOut: result.heldOut,
    history,
    timings: { ...result.timings, secondsPerEpoch: history.length ? history.reduce((s, e) => s + e.seconds, 0) / history.length : 0 },
    cache: context.cache,
  }
  writeAtomic(path.join(outDir, TRAINED_FILES.metrics), JSON.stringify(metrics, null, 2))
  if (heldOut.length > 0) {
    const images = heldOut.map((i) => ({ file: job.photos[i].path, labels: job.photos[i].labels, ...(job.photos[i].split ? { split: job.photos[i].split } : {}) }))
    writeAtomic(path.join(outDir, TRAINED_FILES.heldOut), JSON.stringify({ classes: context.classes, images }, null, 1))
  }
  return metrics
}
