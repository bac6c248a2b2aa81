/**
 * One training job from cached head inputs to a trained head: split the labelled set, initialise
 * from the pack's head, prepare the graphs, train (early stopping on the validation part), export
 * the parameter file and its ONNX graph, and score the head before and after on the held-out part
 * (TypeScript reference on the cache; `constella eval --head` gives the same figures through the
 * product pipeline). Pure computation: the training process (`train-worker.ts`) runs it.
 */
import { buildHeadGraph } from '../head/head-graph.js'
import { decodeHead, tensor, type HeadParams } from '../head/head-params.js'
import { evaluateCached, type PartMetrics } from './evaluate-cached.js'
import { prepareGraphs, type PreparedGraph } from './graph-batch.js'
import { exportHead, tensorShape, trainableNames } from './head-model.js'
import { initialHead, type InitKind } from './init.js'
import { readInputCache, type CachedPhoto } from './input-cache.js'
import { splitIndices, type Split } from './split.js'
import { initBackend, tf, type TrainingBackend } from './tf-backend.js'
import { validationMetrics } from './validation.js'
import { DEFAULT_SETTINGS, trainHead, type EpochReport, type TrainResult, type TrainSettings } from './train-loop.js'

/** Where training starts (choices measured in resources/heads/README.md). */
export interface InitOptions {
  kind: InitKind
  /**
   * Weight of the evidence residual into H (0 = none), or candidates of which the one scoring
   * best on the validation part is taken.
   */
  residual: number | number[]
  /** Weight of the classifier's evidence residual (0 = none). */
  classifierEvidence: number
}

/** The initialisation measured best. */
export const DEFAULT_INIT: InitOptions = { kind: 'class-space', residual: [0.5, 1, 2, 4], classifierEvidence: 16 }

/** Everything a job needs (structured-clone safe: it crosses to the training process). */
export interface TrainJob {
  /** The head-input cache file, and the photos of the labelled set in its order (path, labels, split). */
  cacheFile: string
  photos: { path: string; labels: number[]; negatives?: number[]; split?: string }[]
  /** Fraction treated as human-labelled (the rest is held out); 1 = all. */
  split: number
  seed: number
  /** Fraction of the labelled part kept for early stopping. */
  validation: number
  init: InitOptions
  settings: TrainSettings
  backend: TrainingBackend
  /** The untrained default head (the starting point; `untrained-head.ts`). */
  baseHead: Uint8Array
  /** The head in use (the pack's), scored as "before"; default: `baseHead`. */
  currentHead?: Uint8Array
  /** Version string of the trained head ("modelVersion" in its header). */
  modelVersion: string
  checkpointDir?: string
  resume?: boolean
}

/** Held-out figures of one part, before (the head in use) and after. */
export interface PartReport {
  photos: number
  before: Record<string, PartMetrics>
  after: Record<string, PartMetrics>
}

/** What a job produces. */
export interface TrainJobResult {
  head: Uint8Array
  graph: Uint8Array
  split: Split
  backend: string
  training: Omit<TrainResult, 'tensors'>
  /** Held-out figures: all held-out photos and each dataset split among them (e.g. val2017). */
  heldOut?: PartReport & { parts: Record<string, PartReport> }
  /** The evidence residual weight used, and each candidate's validation score. */
  residual: { chosen: number; scores: Record<string, number> }
  /** Seconds per stage. */
  timings: Record<string, number>
}

/** Runs a job; `onEpoch` reports progress, `signal` cancels (the best head so far is still returned). */
export async function runTrainJob(job: TrainJob, hooks: { onEpoch?(r: EpochReport): void; onStage?(stage: string): void; signal?: AbortSignal } = {}): Promise<TrainJobResult> {
  const timings: Record<string, number> = {}
  const timed = async <T>(stage: string, f: () => T | Promise<T>): Promise<T> => {
    hooks.onStage?.(stage)
    const t = Date.now()
    const out = await f()
    timings[stage] = (Date.now() - t) / 1000
    return out
  }
  const backend = await initBackend(job.backend)
  const photos = await timed('load', () => cachedPhotos(job))
  const split = splitIndices(photos.length, job.split, job.seed, job.validation)
  const base = decodeHead(job.baseHead, 'base head')
  const candidates = [job.init.residual].flat()
  const initFor = (residual: number) => initialHead(base, job.init.kind, job.seed, residual, job.init.classifierEvidence)
  // the graphs do not depend on the residual weight (the adjacency reads the evidence and the class words only)
  const graphs = await timed('prepare', () => prepareGraphs(initFor(candidates[0]), photos))
  const residual = await timed('choose', () => chooseResidual(initFor, candidates, graphs, split.validation))
  const init = initFor(residual.chosen)
  const result = await timed('train', () => trainHead({
    head: init, graphs, train: split.train, validation: split.validation, signal: hooks.signal, onEpoch: hooks.onEpoch,
    checkpointDir: job.checkpointDir, resume: job.resume,
  }, job.settings ?? DEFAULT_SETTINGS))
  const { tensors, ...training } = result
  const values = new Map([...tensors].map(([k, v]) => [k, { dataSync: () => v }]))
  const headBytes = exportHead(init, values as never, { modelVersion: job.modelVersion, description: describe(job, result, residual.chosen) })
  const trained = decodeHead(headBytes, 'trained head')
  const graph = await timed('export', () => buildHeadGraph(trained))
  const current = job.currentHead ? decodeHead(job.currentHead, 'current head') : base
  const heldOut = split.heldOut.length > 1 ? await timed('evaluate', () => heldOutReport(current, trained, split.heldOut.map((i) => photos[i]))) : undefined
  return { head: headBytes, graph, split, backend, training, heldOut, residual, timings }
}

/** The residual weight whose initial head scores best on the validation part (ret mAP + NDCG@10). */
function chooseResidual(initFor: (r: number) => HeadParams, candidates: number[], graphs: PreparedGraph[], validation: number[]): { chosen: number; scores: Record<string, number> } {
  const scores: Record<string, number> = {}
  let chosen = candidates[0]
  if (candidates.length === 1 || validation.length < 2) return { chosen, scores }
  for (const r of candidates) {
    const head = initFor(r)
    const params = new Map(trainableNames(head).map((n) => [n, tf.tensor(tensor(head, n), tensorShape(head.header, n))]))
    scores[String(r)] = validationMetrics(head.header, params, graphs, validation).score
    tf.dispose([...params.values()])
    if (scores[String(r)] > scores[String(chosen)]) chosen = r
  }
  return { chosen, scores }
}

function describe(job: TrainJob, r: TrainResult, residual: number): string {
  return `Fine-tuned SARL-GAT head (init ${job.init.kind}, evidence residual ${residual}, classifier evidence ${job.init.classifierEvidence}; `
    + `best epoch ${r.bestEpoch} of ${r.history.length}; split ${job.split}, seed ${job.seed})`
}

/** The job's photos from the cache, in the job's order, with the job's labels. */
function cachedPhotos(job: TrainJob): CachedPhoto[] {
  const cache = readInputCache(job.cacheFile)
  const byFile = new Map(cache.photos.map((p) => [p.file, p]))
  return job.photos.map((p) => {
    const hit = byFile.get(p.path)
    if (!hit) throw new Error(`${p.path} is not in the head-input cache ${job.cacheFile}`)
    return { ...hit, labels: p.labels, negatives: p.negatives, split: p.split }
  })
}

/** Before/after figures on the held-out photos, and per dataset split among them. */
function heldOutReport(before: HeadParams, after: HeadParams, photos: CachedPhoto[]): PartReport & { parts: Record<string, PartReport> } {
  const part = (ps: CachedPhoto[]): PartReport => ({ photos: ps.length, before: evaluateCached(before, ps), after: evaluateCached(after, ps) })
  const names = [...new Set(photos.map((p) => p.split).filter((s): s is string => !!s))]
  const parts = names.length > 1 ? Object.fromEntries(names.map((n) => [n, part(photos.filter((p) => p.split === n))])) : {}
  return { ...part(photos), parts }
}
