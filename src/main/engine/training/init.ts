/**
 * Where training starts (a choice measured in resources/heads/README.md):
 * - 'default': the untrained default head as it is (what the detector knows, through the class
 *   word vectors and the detector-evidence OT adjacency);
 * - 'class-space': the default head with its word block mapping the class word vectors to
 *   orthonormal class directions (W_w = R (U^T U + delta I)^-1 U^T for the unit class words U),
 *   so the photo node, whose word is the evidence-weighted mean of the class words, carries the
 *   detector's evidence itself, decorrelated, as a residual path into H; the classifier reads it;
 * - 'scratch': Glorot-uniform weights, zero biases and attention (the baseline the issue reports).
 */
import { CLASSIFIER_EVIDENCE, EVIDENCE_RESIDUAL, tensor, type HeadParams } from '../head/head-params.js'
import { seededRandom } from './split.js'

/** How to initialise. */
export type InitKind = 'default' | 'class-space' | 'scratch'

/** Solves (G + delta I) X = B for symmetric positive G (n x n), B n x m, by Cholesky. */
function solveSpd(G: Float64Array, n: number, B: Float64Array, m: number, delta: number): Float64Array {
  const L = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = G[i * n + j] + (i === j ? delta : 0)
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k]
      L[i * n + j] = i === j ? Math.sqrt(s) : s / L[j * n + j]
    }
  }
  const X = new Float64Array(n * m)
  for (let c = 0; c < m; c++) {
    const y = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      let s = B[i * m + c]
      for (let k = 0; k < i; k++) s -= L[i * n + k] * y[k]
      y[i] = s / L[i * n + i]
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = y[i]
      for (let k = i + 1; k < n; k++) s -= L[k * n + i] * X[k * m + c]
      X[i * m + c] = s / L[i * n + i]
    }
  }
  return X
}

/**
 * A copy of `head` with its tensors replaced as `kind` says. With `residual` > 0 (class-space
 * only) it also gets the evidence residual of head format 2, E = residual * R (the class
 * directions of the word half), so H starts as unit(mean_i h_i + residual R unit(e_0)); with
 * `classifierEvidence` > 0 the classifier's evidence residual V = classifierEvidence * I.
 */
export function initialHead(head: HeadParams, kind: InitKind, seed = 1, residual = 0, classifierEvidence = 0): HeadParams {
  const tensors = new Map([...head.tensors].map(([k, v]) => [k, v.slice()]))
  const h = head.header
  if (kind === 'scratch') {
    const random = seededRandom(seed)
    for (const entry of h.tensors) {
      if (entry.name === 'classWords' || entry.name === 'projection.weight') continue
      const t = tensors.get(entry.name)!
      const fanIn = entry.shape[entry.shape.length - 1]
      const fanOut = entry.shape.length > 1 ? entry.shape[entry.shape.length - 2] : 0
      const limit = entry.shape.length > 1 && !entry.name.includes('attn') ? Math.sqrt(6 / (fanIn + fanOut)) : 0
      for (let k = 0; k < t.length; k++) t[k] = (2 * random() - 1) * limit
    }
    return { header: h, tensors }
  }
  if (kind === 'default') return { header: h, tensors }
  // class-space: the word block W_w (rows of the word half, columns of the word input)
  const C = h.classNames.length
  const D = h.wordDim
  const inDim = h.featureDim + D
  const half = h.nodeDim / 2
  const W = tensors.get('node.weight')!
  const U = tensor(head, 'classWords') // C x D, unit rows
  const gram = new Float64Array(C * C)
  for (let a = 0; a < C; a++) for (let b = 0; b < C; b++) {
    let s = 0
    for (let k = 0; k < D; k++) s += U[a * D + k] * U[b * D + k]
    gram[a * C + b] = s
  }
  const pinv = solveSpd(gram, C, Float64Array.from(U), D, 1e-3) // C x D: (U U^T + delta)^-1 U
  // R: C seeded orthonormal directions of the word half (half x C)
  const random = seededRandom(seed + 7)
  const R = new Float64Array(half * C)
  for (let c = 0; c < C; c++) {
    const col = Array.from({ length: half }, () => random() - 0.5)
    for (let p = 0; p < c; p++) {
      let s = 0
      for (let r = 0; r < half; r++) s += col[r] * R[r * C + p]
      for (let r = 0; r < half; r++) col[r] -= s * R[r * C + p]
    }
    const n = Math.hypot(...col)
    for (let r = 0; r < half; r++) R[r * C + c] = col[r] / n
  }
  for (let r = 0; r < half; r++) for (let k = 0; k < D; k++) {
    let s = 0
    for (let c = 0; c < C; c++) s += R[r * C + c] * pinv[c * D + k]
    W[(half + r) * inDim + h.featureDim + k] = s
  }
  // the classifier reads class c along its direction R e_c in the word half
  const cls = tensors.get('classifier.weight')!
  const width = h.heads * h.headDim
  const scale = h.classifier.scale
  for (let c = 0; c < C; c++) {
    for (let r = 0; r < width; r++) cls[c * width + r] = 0
    for (let r = 0; r < half; r++) cls[c * width + half + r] = scale * R[r * C + c]
  }
  const added: { name: string; shape: number[]; offset: number }[] = []
  if (residual > 0) {
    const E = new Float32Array(width * C)
    for (let r = 0; r < half; r++) for (let c = 0; c < C; c++) E[(half + r) * C + c] = residual * R[r * C + c]
    tensors.set(EVIDENCE_RESIDUAL, E)
    added.push({ name: EVIDENCE_RESIDUAL, shape: [width, C], offset: 0 })
  }
  if (classifierEvidence > 0) {
    const V = new Float32Array(C * C)
    for (let c = 0; c < C; c++) V[c * C + c] = classifierEvidence
    tensors.set(CLASSIFIER_EVIDENCE, V)
    added.push({ name: CLASSIFIER_EVIDENCE, shape: [C, C], offset: 0 })
  }
  if (added.length === 0) return { header: h, tensors }
  const names = new Set(added.map((a) => a.name))
  return { header: { ...h, formatVersion: 2, tensors: [...h.tensors.filter((t) => !names.has(t.name)), ...added] }, tensors }
}
