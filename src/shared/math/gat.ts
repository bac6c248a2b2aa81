/**
 * Graph attention layer (Velickovic et al.; MLIR-SARL-GAT eq. 5-8) restricted to and weighted by
 * an adjacency A: e_ij = LeakyReLU(a_src . z_i + a_dst . z_j) + log A_ij over j with A_ij > 0,
 * alpha_i = softmax_j(e_i), h'_i = ||_k act(sum_j alpha^k_ij z^k_j). Every head's alpha is kept
 * so the UI can show it. A graph-convolution variant (row-normalised A) serves the ablation.
 */

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

function project(x: Float32Array, n: number, p: GatLayerParams, head: number): Float32Array {
  const z = new Float32Array(n * p.dOut)
  const wOff = head * p.dOut * p.dIn
  for (let i = 0; i < n; i++) {
    for (let o = 0; o < p.dOut; o++) {
      let s = 0
      const row = wOff + o * p.dIn
      for (let c = 0; c < p.dIn; c++) s += p.weight[row + c] * x[i * p.dIn + c]
      z[i * p.dOut + o] = s
    }
  }
  return z
}

/** One GAT layer over n nodes with features x (n x dIn) and adjacency adj (n x n, >= 0). */
export function gatLayer(x: Float32Array, n: number, adj: ArrayLike<number>, p: GatLayerParams): GatLayerOutput {
  if (x.length !== n * p.dIn) throw new Error(`gatLayer: features ${x.length} != ${n}x${p.dIn}`)
  const width = p.heads * p.dOut
  const features = new Float32Array(n * width)
  const attention: Float32Array[] = []
  for (let k = 0; k < p.heads; k++) {
    const z = project(x, n, p, k)
    const src = new Float32Array(n)
    const dst = new Float32Array(n)
    for (let i = 0; i < n; i++) {
      for (let o = 0; o < p.dOut; o++) {
        src[i] += p.attnSrc[k * p.dOut + o] * z[i * p.dOut + o]
        dst[i] += p.attnDst[k * p.dOut + o] * z[i * p.dOut + o]
      }
    }
    const alpha = new Float32Array(n * n)
    for (let i = 0; i < n; i++) {
      let max = -Infinity
      const e = new Float64Array(n).fill(-Infinity)
      for (let j = 0; j < n; j++) {
        const a = adj[i * n + j]
        if (a <= 0) continue
        const raw = src[i] + dst[j]
        e[j] = (raw > 0 ? raw : p.negativeSlope * raw) + Math.log(a)
        if (e[j] > max) max = e[j]
      }
      let sum = 0
      for (let j = 0; j < n; j++) sum += e[j] === -Infinity ? 0 : (e[j] = Math.exp(e[j] - max))
      for (let j = 0; j < n; j++) alpha[i * n + j] = e[j] === -Infinity || sum === 0 ? 0 : e[j] / sum
      for (let o = 0; o < p.dOut; o++) {
        let s = 0
        for (let j = 0; j < n; j++) s += alpha[i * n + j] * z[j * p.dOut + o]
        features[i * width + k * p.dOut + o] = activate(s, p.activation)
      }
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
