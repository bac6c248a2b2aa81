/**
 * The untrained default SARL-GAT head: deterministic parameters that make every step of the
 * method meaningful before any fine-tuning, chosen by measurement on coco-dev (see README):
 * - W (eq. 2): block-diagonal isometries (seeded orthonormal maps) of the unit visual feature
 *   (scaled by `visualWeight`) and of the unit word vector (scaled by `wordWeight`); b = 0;
 *   sigma = identity (a random nonlinearity would only destroy information).
 * - P (eq. 3): the detector's own class head expressed in word space (P F_i = sum_c e_ic w_c);
 *   a trained head replaces it by a learned linear map (`projection: 'linear'`).
 * - GAT (eq. 5-8): head k of each layer reads slice k of the node (identity blocks); attention
 *   vectors a = 0, so alpha = row-normalised OT adjacency until attention is learned.
 * - Classifier (eq. 10): logit_c = scale * (cos(H, W w_c) - threshold) in the word half of H.
 */
import { orthonormalRows } from '../../../shared/math/vector.js'
import { encodeHead, type HeadHeader } from './head-params.js'

/** Knobs of the default head (the values measured best on coco-dev are the defaults). */
export interface DefaultHeadOptions {
  featureDim: number
  featureSource: string
  classNames: string[]
  /** numClasses x wordDim class word vectors (any scale; they are normalised). */
  classWords: Float32Array[]
  visualWeight?: number
  wordWeight?: number
  classifierScale?: number
  classifierThreshold?: number
  /** Subtract the mean of the class word vectors before normalising (removes GloVe's shared direction). */
  centerWords?: boolean
  /** Entropic regularisation of the OT adjacency. */
  otEpsilon?: number
  gatActivation?: 'elu' | 'relu' | 'identity'
}

/** Dimension of each half of a node: visual and semantic. */
export const HALF_DIM = 128
const HEADS = 8

/** rows x cols matrix mapping unit vectors isometrically (orthonormal rows or columns), seeded. */
function isometry(rows: number, cols: number, seed: number): Float32Array {
  if (rows <= cols) return orthonormalRows(rows, cols, seed)
  const t = orthonormalRows(cols, rows, seed)
  const out = new Float32Array(rows * cols)
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = t[c * rows + r]
  return out
}

/** Builds the default head file bytes. */
export function buildDefaultHead(o: DefaultHeadOptions): Uint8Array {
  const { featureDim, classNames, classWords } = o
  const visualWeight = o.visualWeight ?? 0.5
  const wordWeight = o.wordWeight ?? 1
  const wordDim = classWords[0].length
  const nodeDim = 2 * HALF_DIM
  const headDim = nodeDim / HEADS
  const inDim = featureDim + wordDim
  const rv = isometry(HALF_DIM, featureDim, 11)
  const rw = isometry(HALF_DIM, wordDim, 13)
  const nodeWeight = new Float32Array(nodeDim * inDim)
  for (let r = 0; r < HALF_DIM; r++) {
    for (let c = 0; c < featureDim; c++) nodeWeight[r * inDim + c] = visualWeight * rv[r * featureDim + c]
    for (let c = 0; c < wordDim; c++) nodeWeight[(HALF_DIM + r) * inDim + featureDim + c] = wordWeight * rw[r * wordDim + c]
  }
  const mean = new Float32Array(wordDim)
  if (o.centerWords ?? true) for (const w of classWords) for (let k = 0; k < wordDim; k++) mean[k] += w[k] / classWords.length
  const units = classWords.map((w) => {
    const c = w.map((v, k) => v - mean[k])
    const n = Math.hypot(...c)
    return c.map((v) => v / n)
  })
  const gat = (layer: number) => {
    const weight = new Float32Array(HEADS * headDim * nodeDim)
    for (let k = 0; k < HEADS; k++) for (let d = 0; d < headDim; d++) weight[(k * headDim + d) * nodeDim + k * headDim + d] = 1
    return {
      [`gat${layer}.weight`]: { shape: [HEADS, headDim, nodeDim], data: weight },
      [`gat${layer}.attnSrc`]: { shape: [HEADS, headDim], data: new Float32Array(HEADS * headDim) },
      [`gat${layer}.attnDst`]: { shape: [HEADS, headDim], data: new Float32Array(HEADS * headDim) },
    }
  }
  const scale = o.classifierScale ?? 20
  const threshold = o.classifierThreshold ?? 0.4
  const clsWeight = new Float32Array(classNames.length * nodeDim)
  units.forEach((u, c) => {
    for (let r = 0; r < HALF_DIM; r++) {
      let s = 0
      for (let k = 0; k < wordDim; k++) s += rw[r * wordDim + k] * u[k]
      clsWeight[c * nodeDim + HALF_DIM + r] = scale * s
    }
  })
  const header: Omit<HeadHeader, 'tensors'> = {
    format: 'constella-head',
    formatVersion: 1,
    modelVersion: `sarl-gat-default-1:${o.featureSource}`,
    description: 'Untrained default SARL-GAT head (deterministic isometries, OT attention, word-space classifier)',
    featureDim,
    featureSource: o.featureSource,
    wordDim,
    classNames,
    nodeDim,
    nodeActivation: 'identity',
    heads: HEADS,
    headDim,
    layers: 2,
    gatActivation: o.gatActivation ?? 'elu',
    negativeSlope: 0.2,
    projection: 'detector-evidence',
    ot: { epsilon: o.otEpsilon ?? 0.05, tolerance: 1e-6, maxIterations: 5000, labelTemperature: 0.1 },
    classifier: { scale },
  }
  return encodeHead(header, {
    'node.weight': { shape: [nodeDim, inDim], data: nodeWeight },
    'node.bias': { shape: [nodeDim], data: new Float32Array(nodeDim) },
    'projection.weight': { shape: [wordDim, featureDim], data: new Float32Array(wordDim * featureDim) },
    classWords: { shape: [classNames.length, wordDim], data: Float32Array.from(units.flatMap((u) => Array.from(u))) },
    ...gat(0),
    ...gat(1),
    'classifier.weight': { shape: [classNames.length, nodeDim], data: clsWeight },
    'classifier.bias': { shape: [classNames.length], data: new Float32Array(classNames.length).fill(-scale * threshold) },
  })
}
