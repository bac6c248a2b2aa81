/**
 * The training loss of MLIR-SARL-GAT eq. 11: L = L_cls + l1 L_triplet + l2 L_graph + l3 L_reg.
 * - L_cls (eq. 12): asymmetric loss, y log p + (1 - y) p^gamma log(1 - p), over the labels a human
 *   knows only, normalised per photo as ML-SGM's partial BCE (eq. 17): g(r)/C with
 *   g(r) = alpha r^mu + theta, r the fraction of known labels; unknown labels add nothing.
 * - L_triplet (eq. 13): on squared distances of the unit embeddings H; every anchor-positive pair
 *   of the batch (sharing a known positive label) with its semi-hard negative (FaceNet: the
 *   closest negative farther than the positive; the farthest negative if none is), where a negative
 *   is known to share no label with the anchor.
 * - L_graph (eq. 14): sum_ij A_ij |h_i - h_j|^2 over the unit node embeddings after the GAT,
 *   divided by sum_ij A_ij.
 * - L_reg (eq. 15): |theta - theta_0|^2 (towards the initial head, "L2-SP") or |theta|^2.
 */
import type { GraphBatch, PreparedGraph } from './graph-batch.js'
import type { ForwardOutputs } from './head-model.js'
import { unitRows } from './head-model.js'
import { tf } from './tf-backend.js'

/** Weights and settings of the loss. */
export interface LossOptions {
  /** lambda_1 (triplet). */
  triplet: number
  /** lambda_2 (graph consistency). */
  graph: number
  /** lambda_3 (L2). */
  l2: number
  /** What L2 pulls towards. */
  l2Anchor: 'init' | 'zero'
  /** ASL's focusing parameter for negatives (gamma of eq. 12). */
  gamma: number
  /** Triplet margin alpha (on squared distances of unit vectors, which lie in [0, 4]). */
  margin: number
  /** Weight of the classification term (1 in eq. 11; 0 trains the embedding only). */
  cls: number
}

/** The loss settings used (measured: resources/heads/README.md). */
export const DEFAULT_LOSS: LossOptions = { triplet: 1, graph: 0.01, l2: 0.1, l2Anchor: 'init', gamma: 2, margin: 0.2, cls: 1 }

/** ML-SGM eq. 17 normalisation g(r) = alpha r^mu + theta with the paper's COCO values. */
const PARTIAL = { alpha: -4.45, theta: 5.45, mu: 1 }

/** Eq. 12 with eq. 17's normalisation, averaged over the batch. */
export function aslLoss(logits: tf.Tensor2D, targets: tf.Tensor2D, known: tf.Tensor2D, gamma: number): tf.Scalar {
  const C = logits.shape[1]
  const logP = tf.neg(tf.softplus(tf.neg(logits)))
  const log1mP = tf.neg(tf.softplus(logits))
  const p = tf.sigmoid(logits)
  const negTerm = gamma === 0 ? log1mP : tf.mul(tf.pow(p, gamma), log1mP)
  const perClass = tf.mul(known, tf.add(tf.mul(targets, logP), tf.mul(tf.sub(1, targets), negTerm)))
  const r = tf.div(tf.sum(known, 1), C)
  const g = tf.add(tf.mul(PARTIAL.alpha, tf.pow(r, PARTIAL.mu)), PARTIAL.theta)
  return tf.neg(tf.mean(tf.mul(tf.div(g, C), tf.sum(perClass, 1)))) as tf.Scalar
}

/** Whether photos a and b share a known positive label; whether they are known to share none. */
function relation(a: PreparedGraph, b: PreparedGraph): 'positive' | 'negative' | 'unknown' {
  if (a.positives.some((c) => b.states[c] === 1)) return 'positive'
  const aSure = a.positives.every((c) => b.states[c] === 0)
  const bSure = b.positives.every((c) => a.states[c] === 0)
  return aSure && bSure ? 'negative' : 'unknown'
}

/** Eq. 13 with semi-hard negatives, averaged over the anchor-positive pairs (0 when there are none). */
export function tripletLoss(embedding: tf.Tensor2D, graphs: readonly PreparedGraph[], margin: number): tf.Scalar {
  const B = graphs.length
  const dist = tf.maximum(tf.sub(2, tf.mul(2, tf.matMul(embedding, embedding, false, true))), 0)
  const d = dist.dataSync()
  // the hinge is linear where it is active: its value and gradient are those of
  // (sum_ap d_ap - sum_an d_an + margin * active) / pairs over the active triplets
  const wPos = new Float32Array(B * B)
  const wNeg = new Float32Array(B * B)
  let pairs = 0
  let active = 0
  for (let a = 0; a < B; a++) {
    const rel = graphs.map((g, j) => (j === a ? 'unknown' : relation(graphs[a], g)))
    const negatives = rel.flatMap((r, j) => (r === 'negative' ? [j] : []))
    if (negatives.length === 0) continue
    for (let p = 0; p < B; p++) {
      if (rel[p] !== 'positive') continue
      const dap = d[a * B + p]
      let pick = -1
      for (const n of negatives) if (d[a * B + n] > dap && (pick < 0 || d[a * B + n] < d[a * B + pick])) pick = n
      if (pick < 0) for (const n of negatives) if (pick < 0 || d[a * B + n] > d[a * B + pick]) pick = n
      pairs++
      if (dap - d[a * B + pick] + margin <= 0) continue
      active++
      wPos[a * B + p] += 1
      wNeg[a * B + pick] += 1
    }
  }
  if (active === 0) return tf.scalar(0)
  const weights = tf.tensor2d(wPos.map((v, k) => v - wNeg[k]), [B, B])
  return tf.div(tf.add(tf.sum(tf.mul(weights, dist)), margin * active), pairs) as tf.Scalar
}

/** Eq. 14 over the batch's graphs, weighted by the OT adjacency. */
export function graphLoss(nodes: tf.Tensor3D, batch: GraphBatch): tf.Scalar {
  const unit = unitRows(nodes)
  const sq = tf.maximum(tf.sub(2, tf.mul(2, tf.matMul(unit, unit, false, true))), 0)
  return tf.div(tf.sum(tf.mul(batch.offDiagonal, sq)), tf.maximum(tf.sum(batch.offDiagonal), 1e-9))
}

/** Eq. 15: squared distance of the variables to their anchors (or to zero). */
export function l2Loss(vars: Map<string, tf.Variable>, anchors: Map<string, tf.Tensor> | undefined): tf.Scalar {
  const terms = [...vars].map(([name, v]) => {
    const a = anchors?.get(name)
    return tf.sum(tf.square(a ? tf.sub(v, a) : v))
  })
  return tf.addN(terms) as tf.Scalar
}

/** Every term of eq. 11 for one batch (scalars, for the progress report) and their weighted sum. */
export function totalLoss(out: ForwardOutputs, batch: GraphBatch, vars: Map<string, tf.Variable>, anchors: Map<string, tf.Tensor> | undefined, o: LossOptions): { total: tf.Scalar; terms: Record<string, tf.Scalar> } {
  const terms: Record<string, tf.Scalar> = {
    cls: aslLoss(out.logits, batch.targets, batch.known, o.gamma),
    triplet: o.triplet > 0 ? tripletLoss(out.embedding, batch.graphs, o.margin) : tf.scalar(0),
    graph: o.graph > 0 ? graphLoss(out.nodes, batch) : tf.scalar(0),
    l2: o.l2 > 0 ? l2Loss(vars, o.l2Anchor === 'init' ? anchors : undefined) : tf.scalar(0),
  }
  const total = tf.addN([tf.mul(o.cls, terms.cls), tf.mul(o.triplet, terms.triplet), tf.mul(o.graph, terms.graph), tf.mul(o.l2, terms.l2)]) as tf.Scalar
  return { total, terms }
}
