/**
 * Graph attention layer (Velickovic et al.; MLIR-SARL-GAT eq. 5-8) restricted to and weighted by
 * an adjacency A: e_ij = LeakyReLU(a_src . z_i + a_dst . z_j) + log A_ij over j with A_ij > 0,
 * alpha_i = softmax_j(e_i), h'_i = ||_k act(sum_j alpha^k_ij z^k_j). Every head's alpha is kept
 * so the UI can show it. A graph-convolution variant (row-normalised A) serves the ablation.
 */
import { dotAt } from './vector.js'

/** Parameters of one multi-head layer; matrices are row-major. */
export interface GatLayerParams {
  heads: number
  dIn: number
  /** Output size per head (d'). */
  dOut: number
  /** heads x dOut x dIn projection W_G per head. */
  weight: Float32Array
  /** heads x dOut source-side attention vector (first half of a). */
  attnSrc: Float32Array
  /** heads x dOut target-side attention vector (second half of a). */
  attnDst: Float32Array
  activation: 'elu' | 'relu' | 'identity'
  /** LeakyReLU slope (0.2 in the paper). */
  negativeSlope: number
}

/** Output of a layer: node features (N x heads*dOut) and per-head attention (heads x N x N). */
export interface GatLayerOutput {
  features: Float32Array
  attention: Float32Array[]
}

function activate(v: number, kind: GatLayerParams['activation']): number {
  if (kind === 'elu') return v > 0 ? v : Math.expm1(v)
  if (kind === 'relu') return v > 0 ? v : 0
  return v
}

/** z = x W_k^T for head k: n x dOut (row-major). */
function project(x: Float32Array, n: number, p: GatLayerParams, head: number): Float32Array {
  const { dIn, dOut, weight } = p
  const z = new Float32Array(n * dOut)
  const wOff = head * dOut * dIn
  for (let i = 0; i < n; i++) {
    const xi = i * dIn
    for (let o = 0; o < dOut; o++) z[i * dOut + o] = dotAt(weight, wOff + o * dIn, x, xi, dIn)
  }
  return z
}

/** One GAT layer over n nodes with features x (n x dIn) and adjacency adj (n x n, >= 0). */
export function gatLayer(x: Float32Array, n: number, adj: ArrayLike<number>, p: GatLayerParams): GatLayerOutput {
  if (x.length !== n * p.dIn) throw new Error(`gatLayer: features ${x.length} != ${n}x${p.dIn}`)
  const { dOut, negativeSlope, activation } = p
  const width = p.heads * dOut
  const features = new Float32Array(n * width)
  const attention: Float32Array[] = []
  const logA = new Float64Array(n * n)
  for (let k = 0; k < n * n; k++) logA[k] = adj[k] > 0 ? Math.log(adj[k]) : -Infinity
  const src = new Float64Array(n)
  const dst = new Float64Array(n)
  const e = new Float64Array(n)
  for (let k = 0; k < p.heads; k++) {
    const z = project(x, n, p, k)
    for (let i = 0; i < n; i++) {
      let s = 0
      let d = 0
      for (let o = 0; o < dOut; o++) {
        s += p.attnSrc[k * dOut + o] * z[i * dOut + o]
        d += p.attnDst[k * dOut + o] * z[i * dOut + o]
      }
      src[i] = s
      dst[i] = d
    }
    const alpha = new Float32Array(n * n)
    for (let i = 0; i < n; i++) {
      let max = -Infinity
      for (let j = 0; j < n; j++) {
        const raw = src[i] + dst[j]
        e[j] = (raw > 0 ? raw : negativeSlope * raw) + logA[i * n + j]
        if (e[j] > max) max = e[j]
      }
      let sum = 0
      for (let j = 0; j < n; j++) sum += (e[j] = e[j] === -Infinity ? 0 : Math.exp(e[j] - max))
      if (sum > 0) for (let j = 0; j < n; j++) alpha[i * n + j] = e[j] / sum
      const out = i * width + k * dOut
      for (let j = 0; j < n; j++) {
        const a = alpha[i * n + j]
        if (a === 0) continue
        for (let o = 0; o < dOut; o++) features[out + o] += a * z[j * dOut + o]
      }
      for (let o = 0; o < dOut; o++) features[out + o] = activate(features[out + o], activation)
    }
    attention.push(alpha)
  }
  return { features, attention }
}

/**
 * Graph-convolution layer (ablation, Kipf & Welling): h'_i = act(sum_j Ahat_ij W z_j) with the
 * symmetric normalisation Ahat = D^-1/2 A D^-1/2; attention vectors are not used.
 */
export function gcnLayer(x: Float32Array, n: number, adj: ArrayLike<number>, p: GatLayerParams): GatLayerOutput {
  const degree = new Float64Array(n)
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) degree[i] += Math.max(adj[i * n + j], 0)
  const rowNorm = new Float32Array(n * n)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const d = Math.sqrt(degree[i] * degree[j])
      rowNorm[i * n + j] = d > 0 ? Math.max(adj[i * n + j], 0) / d : 0
    }
  }
  const width = p.heads * p.dOut
  const features = new Float32Array(n * width)
  for (let k = 0; k < p.heads; k++) {
    const z = project(x, n, p, k)
    for (let i = 0; i < n; i++) {
      for (let o = 0; o < p.dOut; o++) {
        let s = 0
        for (let j = 0; j < n; j++) s += rowNorm[i * n + j] * z[j * p.dOut + o]
        features[i * width + k * p.dOut + o] = activate(s, p.activation)
      }
    }
  }
  return { features, attention: Array.from({ length: p.heads }, () => rowNorm) }
}
