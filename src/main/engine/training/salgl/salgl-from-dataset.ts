/**
 * `constella train --head salgl` as an engine function: the head-input cache of a labelled set
 * (shared with the SARL-GAT training: the detector runs only for photos not cached yet), one salgl
 * run (`salgl-job.ts`, in this process: the head is small, about 3 s per epoch on 2 cores), and the
 * head's folder: {@link SALGL_FILES}.params (the head), `salgl-metrics.json` (recipe, settings,
 * history, held-out classification next to the detector and a SARL-GAT head) and `heldout.json`.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { decodeHead, tensor } from '../../head/head-params.js'
import { defaultPackDir } from '../../models/pack.js'
import { buildInputCache } from '../build-input-cache.js'
import type { DatasetRunOptions } from '../train-from-dataset.js'
import { readTrainedHead } from '../head-pack.js'
import { packHeads } from '../untrained-head.js'
import { runSalglJob, type SalglJobResult } from './salgl-job.js'
import { SALGL_FILES, writeSalglHead } from './salgl-params.js'
import type { SalglEpoch, SalglSettings } from './salgl-train.js'

/** Options of {@link trainSalglFromDataset}. */
export interface SalglFromDatasetOptions extends DatasetRunOptions {
  /** Scene count K (default 6, as the paper for COCO). */
  scenes?: number
  settings?: Partial<SalglSettings>
  /** A trained SARL-GAT head folder scored beside (default: the pack's head). */
  compareDir?: string
  onEpoch?(e: SalglEpoch): void
}

/** The metrics file's content. */
export interface SalglMetrics {
  head: 'salgl'
  modelVersion: string
  recipe: string
  dataset: string
  photos: { labelled: number; train: number; validation: number; heldOut: number }
  split: number
  seed: number
  scenes: number
  nodeDim: number
  steps: number
  settings: SalglSettings
  backend: string
  bestEpoch: number
  epochs: number
  /** Validation classification mAP of the start (the detector's ranking) and of the best epoch. */
  validation: SalglJobResult['training']['validation']
  startSizes: number[]
  /** The SARL-GAT head scored as 'sarl-gat' in `heldOut`. */
  compared: string
  heldOut?: SalglJobResult['heldOut']
  history: SalglJobResult['training']['history']
  seconds: number
  cache: { file: string; analysed: number; seconds: number }
}

function writeAtomic(file: string, data: string): void {
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, data)
  renameSync(tmp, file)
}

/** Trains a salgl head on a labelled set and writes its folder; returns the metrics written. */
export async function trainSalglFromDataset(o: SalglFromDatasetOptions): Promise<SalglMetrics> {
  const packDir = o.packDir ?? defaultPackDir()
  const built = await buildInputCache(o.images, { cacheDir: o.cacheDir, packDir, provider: o.provider, rebuild: o.rebuildCache, onProgress: o.onCacheProgress })
  if (built.failed.length > 0) throw new Error(`${built.failed.length} photos could not be analysed (first: ${built.failed[0].file}: ${built.failed[0].reason})`)
  const head = decodeHead(packHeads(packDir).current, 'pack head')
  const compare = o.compareDir ? decodeHead(readTrainedHead(o.compareDir).params, o.compareDir) : head
  const split = o.split ?? 0.7
  const seed = o.seed ?? 1
  const scenes = o.scenes ?? 6
  const started = Date.now()
  const result = await runSalglJob({
    photos: built.cache.photos,
    classNames: head.header.classNames,
    classWords: tensor(head, 'classWords'),
    wordDim: head.header.wordDim,
    featureSource: head.header.featureSource,
    featureDim: head.header.featureDim,
    split, seed, validation: o.validation ?? 0.2, scenes,
    settings: o.settings,
    backend: o.backend,
    compare,
    modelVersion: `salgl-1:${head.header.featureSource}:K${scenes}:${path.basename(path.dirname(path.resolve(o.datasetFile)))}:split${split}:seed${seed}`,
    onEpoch: o.onEpoch,
    signal: o.signal,
  })
  mkdirSync(o.outDir, { recursive: true })
  writeSalglHead(path.join(o.outDir, SALGL_FILES.params), result.params)
  const { train, validation, heldOut } = result.split
  const h = result.params.header
  const metrics: SalglMetrics = {
    head: 'salgl',
    modelVersion: h.modelVersion,
    recipe: o.recipe ?? `constella train --head salgl --scenes ${scenes} --dataset ${o.datasetFile} --split ${split} --seed ${seed} --out ${o.outDir}`,
    dataset: path.resolve(o.datasetFile),
    photos: { labelled: train.length + validation.length, train: train.length, validation: validation.length, heldOut: heldOut.length },
    split, seed, scenes, nodeDim: h.nodeDim, steps: h.steps,
    settings: result.settings,
    backend: result.backend,
    bestEpoch: result.training.bestEpoch,
    epochs: result.training.history.length,
    validation: result.training.validation,
    startSizes: result.startSizes,
    compared: compare.header.modelVersion,
    heldOut: result.heldOut,
    history: result.training.history,
    seconds: (Date.now() - started) / 1000,
    cache: { file: built.file, analysed: built.analysed, seconds: built.seconds },
  }
  writeAtomic(path.join(o.outDir, SALGL_FILES.metrics), JSON.stringify(metrics, null, 2))
  if (heldOut.length > 0) {
    const photos = built.cache.photos
    const images = heldOut.map((i) => ({ file: photos[i].file, labels: photos[i].labels, ...(photos[i].split ? { split: photos[i].split } : {}) }))
    writeAtomic(path.join(o.outDir, SALGL_FILES.heldOut), JSON.stringify({ classes: o.classes, images }, null, 1))
  }
  return metrics
}
