/**
 * Scores a head on cached head inputs, without the detector: retrieval (every photo of the part
 * queries the others, relevant = shares a label) and classification, for the head's GAT and its
 * GCN ablation, beside the detector's label histogram on the same photos.
 */
import { embedGraph, type GraphVariant } from '../head/graph-embed.js'
import type { HeadParams } from '../head/head-params.js'
import { l2normalize } from '../../../shared/math/vector.js'
import { classificationMetrics, type ClassificationMetrics } from '../../../shared/metrics/classification.js'
import { rankByCosine, retrievalMetrics, type RetrievalMetrics } from '../../../shared/metrics/retrieval.js'
import type { CachedPhoto } from './input-cache.js'

/** Metrics of one method on a part. */
export interface PartMetrics {
  ret: RetrievalMetrics
  cls?: ClassificationMetrics
}

/** Vectors and label scores of a set of photos. */
export interface Outputs {
  vectors: Float32Array[]
  scores?: Float32Array[]
}

/** Scores vectors (and label scores) of photos with `labels`. */
export function scoreOutputs(out: Outputs, labels: number[][], numClasses: number): PartMetrics {
  const ret = retrievalMetrics(rankByCosine(out.vectors), labels)
  return out.scores ? { ret, cls: classificationMetrics(out.scores, labels, numClasses) } : { ret }
}

/** The head's embeddings and label scores of `photos` (TypeScript reference forward pass). */
export function headOutputs(head: HeadParams, photos: readonly CachedPhoto[], variant: GraphVariant = {}): Outputs {
  const vectors: Float32Array[] = []
  const scores: Float32Array[] = []
  for (const p of photos) {
    const g = embedGraph(head, p.input, variant)
    vectors.push(g.embedding)
    scores.push(g.labelScores)
  }
  return { vectors, scores }
}

/** The detector's label histogram of `photos` (the baseline every head is compared with). */
export function histogramOutputs(photos: readonly CachedPhoto[]): Outputs {
  return { vectors: photos.map((p) => l2normalize(p.input.photoEvidence)), scores: photos.map((p) => p.input.photoEvidence) }
}

/** sarl-gat (with classifier), gcn and label-histogram on `photos`. */
export function evaluateCached(head: HeadParams, photos: readonly CachedPhoto[]): Record<'sarl-gat' | 'gcn' | 'label-histogram', PartMetrics> {
  const labels = photos.map((p) => p.labels)
  const C = head.header.classNames.length
  const gcn = headOutputs(head, photos, { layer: 'gcn' })
  return {
    'sarl-gat': scoreOutputs(headOutputs(head, photos), labels, C),
    gcn: scoreOutputs({ vectors: gcn.vectors }, labels, C),
    'label-histogram': scoreOutputs(histogramOutputs(photos), labels, C),
  }
}
