/**
 * What training needs of each photo, prepared once: the head's node inputs [F_i/|F_i| || w_i/|w_i|]
 * exactly as `embedGraph` forms them (`graphNodes`), the OT adjacency A (a constant while the OT
 * projection is the detector's evidence; measured in resources/heads/README.md), and the photo's label
 * states. Batches pad photos to their largest graph and carry a node mask.
 */
import { embedGraph, graphNodes } from '../head/graph-embed.js'
import type { HeadParams } from '../head/head-params.js'
import { l2normalize } from '../../../shared/math/vector.js'
import type { CachedPhoto } from './input-cache.js'
import { tf } from './tf-backend.js'

/** One photo ready for training. */
export interface PreparedGraph {
  /** Nodes in matrix order (whole photo first). */
  n: number
  /** n x (featureDim + wordDim) node inputs. */
  nodes: Float32Array
  /** n x featureDim unit visual features (the learned OT projection reads them). */
  features: Float32Array
  /** n x n adjacency of the head the photo was prepared with. */
  adjacency: Float64Array
  /** The photo node's class evidence, as it is and at unit length (the evidence residuals read them). */
  rawEvidence: Float32Array
  photoEvidence: Float32Array
  /** Known positive classes. */
  positives: number[]
  /** Per class: 1 positive, 0 negative, -1 unknown. */
  states: Int8Array
}

/** Prepares `photos` for `head` (its word vectors, OT settings and projection). */
export function prepareGraphs(head: HeadParams, photos: readonly CachedPhoto[]): PreparedGraph[] {
  const h = head.header
  const C = h.classNames.length
  const inDim = h.featureDim + h.wordDim
  return photos.map((p) => {
    const nodeList = graphNodes(head, p.input)
    const n = nodeList.length
    const nodes = new Float32Array(n * inDim)
    const features = new Float32Array(n * h.featureDim)
    nodeList.forEach((node, i) => {
      const f = l2normalize(node.feature)
      nodes.set(f, i * inDim)
      features.set(f, i * h.featureDim)
      nodes.set(l2normalize(node.word), i * inDim + h.featureDim)
    })
    const states = new Int8Array(C).fill(p.negatives ? -1 : 0)
    for (const c of p.negatives ?? []) states[c] = 0
    for (const c of p.labels) states[c] = 1
    const photoEvidence = l2normalize(nodeList[0].evidence)
    return { n, nodes, features, adjacency: embedGraph(head, p.input).adjacency, rawEvidence: nodeList[0].evidence, photoEvidence, positives: [...new Set(p.labels)], states }
  })
}

/** A padded batch as tensors (dispose with {@link disposeBatch}). */
export interface GraphBatch {
  size: number
  maxNodes: number
  /** [B, N, inDim] node inputs (zero rows for padding). */
  x: tf.Tensor3D
  /** [B, N, featureDim] unit visual features. */
  features: tf.Tensor3D
  /** [B, 1, N, N] log A, with -1e9 where A = 0 or a node is padding. */
  logA: tf.Tensor4D
  /** [B, N, N] A with a zero diagonal and zero padding (graph consistency weights). */
  offDiagonal: tf.Tensor3D
  /** [B, N, 1] 1 for real nodes. */
  mask: tf.Tensor3D
  /** [B, 1] node counts. */
  counts: tf.Tensor2D
  /** [B, C] unit photo evidence and [B, C] photo evidence. */
  evidence: tf.Tensor2D
  rawEvidence: tf.Tensor2D
  /** [B, C] targets and [B, C] known mask. */
  targets: tf.Tensor2D
  known: tf.Tensor2D
  graphs: PreparedGraph[]
}

const MASKED = -1e9

/** Pads `graphs` into one batch. */
export function makeBatch(graphs: PreparedGraph[], inDim: number, featureDim: number, numClasses: number): GraphBatch {
  const B = graphs.length
  const N = Math.max(...graphs.map((g) => g.n))
  const x = new Float32Array(B * N * inDim)
  const feats = new Float32Array(B * N * featureDim)
  const logA = new Float32Array(B * N * N).fill(MASKED)
  const off = new Float32Array(B * N * N)
  const mask = new Float32Array(B * N)
  const targets = new Float32Array(B * numClasses)
  const known = new Float32Array(B * numClasses)
  graphs.forEach((g, b) => {
    x.set(g.nodes, b * N * inDim)
    feats.set(g.features, b * N * featureDim)
    for (let i = 0; i < g.n; i++) {
      mask[b * N + i] = 1
      for (let j = 0; j < g.n; j++) {
        const a = g.adjacency[i * g.n + j]
        logA[(b * N + i) * N + j] = a > 0 ? Math.log(a) : MASKED
        if (i !== j) off[(b * N + i) * N + j] = a
      }
    }
    for (let c = 0; c < numClasses; c++) {
      targets[b * numClasses + c] = g.states[c] === 1 ? 1 : 0
      known[b * numClasses + c] = g.states[c] >= 0 ? 1 : 0
    }
  })
  return {
    size: B,
    maxNodes: N,
    x: tf.tensor3d(x, [B, N, inDim]),
    features: tf.tensor3d(feats, [B, N, featureDim]),
    logA: tf.tensor4d(logA, [B, 1, N, N]),
    offDiagonal: tf.tensor3d(off, [B, N, N]),
    mask: tf.tensor3d(mask, [B, N, 1]),
    counts: tf.tensor2d(graphs.map((g) => g.n), [B, 1]),
    evidence: tf.tensor2d(Float32Array.from(graphs.flatMap((g) => Array.from(g.photoEvidence))), [B, numClasses]),
    rawEvidence: tf.tensor2d(Float32Array.from(graphs.flatMap((g) => Array.from(g.rawEvidence))), [B, numClasses]),
    targets: tf.tensor2d(targets, [B, numClasses]),
    known: tf.tensor2d(known, [B, numClasses]),
    graphs,
  }
}

/** Frees a batch's tensors. */
export function disposeBatch(batch: GraphBatch): void {
  tf.dispose([batch.x, batch.features, batch.logA, batch.offDiagonal, batch.mask, batch.counts, batch.evidence, batch.rawEvidence, batch.targets, batch.known])
}

/**
 * Groups graph indices into batches of about `size` photos of similar node counts (less padding):
 * the order is shuffled by `random`, sorted by node count with jitter, cut, and the batches shuffled.
 */
export function batchOrder(graphs: readonly PreparedGraph[], indices: readonly number[], size: number, random: () => number): number[][] {
  const keyed = indices.map((i) => ({ i, key: graphs[i].n + 6 * random() })).sort((a, b) => a.key - b.key)
  const batches: number[][] = []
  for (let k = 0; k < keyed.length; k += size) batches.push(keyed.slice(k, k + size).map((e) => e.i))
  for (let k = batches.length - 1; k > 0; k--) {
    const j = Math.floor(random() * (k + 1))
    ;[batches[k], batches[j]] = [batches[j], batches[k]]
  }
  return batches
}
