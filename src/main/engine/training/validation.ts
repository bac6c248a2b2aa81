/**
 * Validation during training: the embeddings of the validation part from the training forward
 * pass, scored as `constella eval` scores a held-out set (each validation photo queries the other
 * validation photos; measured: querying the trained photos instead rewards memorising them, the
 * validation score rose while held-out retrieval fell by 5 points), and the classifier on them.
 */
import type { HeadHeader } from '../head/head-params.js'
import { classificationMetrics } from '../../../shared/metrics/classification.js'
import { rankByCosine, retrievalMetrics } from '../../../shared/metrics/retrieval.js'
import { disposeBatch, makeBatch, type PreparedGraph } from './graph-batch.js'
import { forward } from './head-model.js'
import { tf } from './tf-backend.js'

/** Validation figures (%), and the score early stopping maximises (retrieval mAP + NDCG@10). */
export interface ValidationMetrics {
  mAP: number
  ndcg: number
  clsMAP: number
  score: number
}

/** H and label scores of `indices` (no gradients). */
export function embedGraphs(h: HeadHeader, vars: ReadonlyMap<string, tf.Tensor>, graphs: readonly PreparedGraph[], indices: readonly number[], batchSize = 64): { vectors: Float32Array[]; scores: Float32Array[] } {
  const vectors: Float32Array[] = []
  const scores: Float32Array[] = []
  const width = h.heads * h.headDim
  const C = h.classNames.length
  const order = [...indices].sort((a, b) => graphs[a].n - graphs[b].n)
  const byIndex = new Map<number, { v: Float32Array; s: Float32Array }>()
  for (let k = 0; k < order.length; k += batchSize) {
    const part = order.slice(k, k + batchSize)
    const batch = makeBatch(part.map((i) => graphs[i]), h.featureDim + h.wordDim, h.featureDim, C)
    try {
      const [H, p] = tf.tidy(() => {
        const out = forward(h, vars, batch)
        return [out.embedding.dataSync() as Float32Array, tf.sigmoid(out.logits).dataSync() as Float32Array]
      })
      part.forEach((i, b) => byIndex.set(i, { v: H.slice(b * width, (b + 1) * width), s: p.slice(b * C, (b + 1) * C) }))
    } finally {
      disposeBatch(batch)
    }
  }
  for (const i of indices) {
    const e = byIndex.get(i)!
    vectors.push(e.v)
    scores.push(e.s)
  }
  return { vectors, scores }
}

/** Validation metrics: `validation` photos query each other (and `gallery`, if given). */
export function validationMetrics(h: HeadHeader, vars: ReadonlyMap<string, tf.Tensor>, graphs: readonly PreparedGraph[], validation: readonly number[], gallery: readonly number[] = []): ValidationMetrics {
  if (validation.length === 0) return { mAP: NaN, ndcg: NaN, clsMAP: NaN, score: 0 }
  const all = [...validation, ...gallery]
  const { vectors, scores } = embedGraphs(h, vars, graphs, all)
  const labels = all.map((i) => graphs[i].positives)
  const ret = retrievalMetrics(rankByCosine(vectors).slice(0, validation.length), labels)
  const cls = classificationMetrics(scores.slice(0, validation.length), labels.slice(0, validation.length), h.classNames.length)
  return { mAP: ret.mAP, ndcg: ret['NDCG@10'], clsMAP: cls.mAP, score: ret.mAP + ret['NDCG@10'] }
}
