/**
 * `constella eval`: indexes a labelled set into a temporary library (the product's own pipeline),
 * computes every method's vectors on the way, and scores them under the papers' protocol:
 * every image queries all others, relevant = shares at least one label.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { classificationMetrics, type ClassificationMetrics } from '../../../shared/metrics/classification.js'
import { queryCounts, rankByCosine, retrievalMetrics, type QueryCounts, type RetrievalMetrics } from '../../../shared/metrics/retrieval.js'
import { indexLibrary } from '../library/indexer.js'
import { Library } from '../library/library.js'
import { defaultPackDir, findModel } from '../models/pack.js'
import { TRAINED_FILES, writeHeadPack } from '../training/head-pack.js'
import { salglMethod } from '../training/salgl/salgl-eval-method.js'
import type { ProviderSetting } from '../models/sessions.js'
import { BackboneExtractor } from '../pipeline/backbone.js'
import type { Dataset } from './dataset.js'
import { METHOD_NOTES, methodOutputs, type MethodOutputs } from './eval-methods.js'

/** Metrics of one method. */
export interface MethodReport {
  ret: RetrievalMetrics
  cls?: ClassificationMetrics
}

/** The eval result (`--json` prints it). */
export interface EvalReport {
  images: number
  /** Retrieval queries scored, and skipped because no other image shares a label with them (same for every method). */
  queries: QueryCounts
  methods: Record<string, MethodReport>
  /** The same table restricted to each split of the dataset (e.g. val2017), when it has splits. */
  splits?: Record<string, { images: number; queries: QueryCounts; methods: Record<string, MethodReport> }>
  failed: { file: string; reason: string }[]
  notes: Record<string, string>
  featureSource: string
  /** Model version of the head evaluated (the pack's, or the one of `--head`). */
  head: string
  seconds: number
}

/** Options of one evaluation. */
export interface EvalOptions {
  provider?: ProviderSetting
  packDir?: string
  /** A trained head's folder (`constella train --out DIR`): evaluate with it instead of the pack's head. */
  headDir?: string
  onProgress?(done: number, total: number): void
}

function score(items: { labels: number[]; out: MethodOutputs }[], numClasses: number): Record<string, MethodReport> {
  const labels = items.map((i) => i.labels)
  const methods: Record<string, MethodReport> = {}
  for (const name of Object.keys(items[0].out.vectors)) {
    const ret = retrievalMetrics(rankByCosine(items.map((i) => i.out.vectors[name])), labels)
    const scores = items[0].out.scores[name] ? items.map((i) => i.out.scores[name]) : undefined
    methods[name] = scores ? { ret, cls: classificationMetrics(scores, labels, numClasses) } : { ret }
  }
  return methods
}

/** Evaluates every method on `dataset`. */
export async function runEval(dataset: Dataset, options: EvalOptions = {}): Promise<EvalReport> {
  const started = Date.now()
  const dir = mkdtempSync(path.join(os.tmpdir(), 'constella-eval-'))
  // a salgl head folder (constella train --head salgl) adds the 'salgl' method; the SARL-GAT head stays the pack's unless the folder has one
  const salgl = options.headDir ? salglMethod(options.headDir) : undefined
  const sarlGatDir = options.headDir && (!salgl || existsSync(path.join(options.headDir, TRAINED_FILES.params))) ? options.headDir : undefined
  const packDir = sarlGatDir ? writeHeadPack(sarlGatDir, options.packDir ?? defaultPackDir(), path.join(dir, 'head-pack')) : options.packDir
  const lib = await Library.open({ dir, packDir, provider: options.provider })
  try {
    const inception = new BackboneExtractor(lib.engine, 'inception-v3', findModel(lib.manifest, 'inception-v3').preprocessing)
    const outputs = new Map<string, MethodOutputs>()
    let done = 0
    const summary = await indexLibrary(lib, dataset.images.map((i) => i.path), {
      onAnalyzed: async (photoId, photo, result) => {
        const file = lib.store.photos.get(photoId)?.path
        const backbone = await inception.extract(photo, ['pooled', 'mixed5'])
        if (file) outputs.set(file, salgl ? salgl.add(methodOutputs(lib.head, result, backbone), result.graphInput) : methodOutputs(lib.head, result, backbone))
      },
      onPhotoDone: () => options.onProgress?.(++done, dataset.images.length),
    })
    const items = dataset.images.flatMap((img) => {
      const out = outputs.get(img.path)
      return out ? [{ ...img, out }] : []
    })
    if (items.length < 2) throw new Error(`only ${items.length} of ${dataset.images.length} images could be analysed; nothing to evaluate`)
    const numClasses = dataset.classes.length
    const report: EvalReport = {
      images: items.length,
      queries: queryCounts(items.map((i) => i.labels)),
      methods: score(items, numClasses),
      failed: [...summary.failed.map((f) => ({ file: f.path, reason: f.reason })), ...summary.unreadable.map((u) => ({ file: u.path, reason: u.reason }))],
      notes: salgl ? { ...METHOD_NOTES, salgl: salgl.note } : METHOD_NOTES,
      featureSource: lib.head.header.featureSource,
      head: salgl ? `${lib.head.header.modelVersion} + ${salgl.modelVersion}` : lib.head.header.modelVersion,
      seconds: 0,
    }
    const splits = [...new Set(items.map((i) => i.split).filter((s): s is string => !!s))]
    if (splits.length > 1) {
      report.splits = Object.fromEntries(splits.map((split) => {
        const part = items.filter((i) => i.split === split)
        return [split, { images: part.length, queries: queryCounts(part.map((i) => i.labels)), methods: score(part, numClasses) }]
      }))
    }
    report.seconds = (Date.now() - started) / 1000
    return report
  } finally {
    await lib.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
