/**
 * The scene model of SALGL section 3.3: pi = softmax(W v + b) over K scenes (eq. 5), v a photo's
 * context feature (eq. 4), the scene its argmax (eq. 6). v is standardised first (the library's
 * per-channel mean and spread, then unit length) so that one learning rate suits any feature map;
 * the bias b is the constant input the paper's w_k^T v gets from a non-centred v.
 */

/** A trained scene model. */
export interface SceneModel {
  k: number
  /** Feature dims d. */
  dims: number
  /** Per-channel mean and 1/spread of the library's features (standardisation), d each. */
  mean: Float32Array
  scale: Float32Array
  /** K x d prototypes w_k, row-major. */
  weights: Float32Array
  /** K biases. */
  bias: Float32Array
}

/** Standardises rows in place: (v - mean) * scale, then unit length. */
export function standardise(x: Float32Array, n: number, model: Pick<SceneModel, 'dims' | 'mean' | 'scale'>): Float32Array {
  const d = model.dims
  for (let i = 0; i < n; i++) {
    let norm = 0
    for (let j = 0; j < d; j++) {
      const t = (x[i * d + j] - model.mean[j]) * model.scale[j]
      x[i * d + j] = t
      norm += t * t
    }
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0
    for (let j = 0; j < d; j++) x[i * d + j] *= inv
  }
  return x
}

/** The per-channel mean and 1/standard deviation of n rows (a constant channel gets scale 0). */
export function featureStats(x: Float32Array, n: number, d: number): { mean: Float32Array; scale: Float32Array } {
  const mean = new Float64Array(d)
  const sq = new Float64Array(d)
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j]
  for (let j = 0; j < d; j++) mean[j] /= Math.max(1, n)
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) sq[j] += (x[i * d + j] - mean[j]) ** 2
  const scale = new Float32Array(d)
  for (let j = 0; j < d; j++) {
    const sd = Math.sqrt(sq[j] / Math.max(1, n))
    scale[j] = sd > 1e-8 ? 1 / sd : 0
  }
  return { mean: Float32Array.from(mean), scale }
}

/**
 * Writes softmax(W x_i + b) of standardised rows into `out` (n x K) and returns it; `logOut`, when
 * given, gets log pi (computed stably, for the entropy loss).
 */
export function scenePosteriors(model: SceneModel, x: Float32Array, n: number, out = new Float32Array(n * model.k), logOut?: Float32Array): Float32Array {
  const { k, dims: d, weights: w, bias } = model
  const z = new Float64Array(k)
  for (let i = 0; i < n; i++) {
    let max = -Infinity
    for (let m = 0; m < k; m++) {
      let s = bias[m]
      const a = i * d
      const b = m * d
      for (let j = 0; j < d; j++) s += w[b + j] * x[a + j]
      z[m] = s
      if (s > max) max = s
    }
    let sum = 0
    for (let m = 0; m < k; m++) sum += Math.exp(z[m] - max)
    const logSum = max + Math.log(sum)
    for (let m = 0; m < k; m++) {
      out[i * k + m] = Math.exp(z[m] - logSum)
      if (logOut) logOut[i * k + m] = z[m] - logSum
    }
  }
  return out
}

/** Each row's scene (argmax of pi, eq. 6). */
export function argmaxRows(pi: Float32Array, n: number, k: number): Uint8Array {
  const s = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    let best = 0
    for (let m = 1; m < k; m++) if (pi[i * k + m] > pi[i * k + best]) best = m
    s[i] = best
  }
  return s
}

/** The model as one float32 blob: [mean d | scale d | W K*d | b K] (with k and dims stored beside it). */
export function modelToBlob(model: SceneModel): Buffer {
  const { k, dims: d } = model
  const all = new Float32Array(2 * d + k * d + k)
  all.set(model.mean, 0)
  all.set(model.scale, d)
  all.set(model.weights, 2 * d)
  all.set(model.bias, 2 * d + k * d)
  return Buffer.from(all.buffer, all.byteOffset, all.byteLength)
}

/** The inverse of {@link modelToBlob}. */
export function modelFromBlob(blob: Uint8Array, k: number, dims: number): SceneModel {
  const copy = new Uint8Array(blob)
  const all = new Float32Array(copy.buffer, 0, copy.byteLength / 4)
  if (all.length !== 2 * dims + k * dims + k) throw new Error(`a scene model of K=${k}, d=${dims} has ${2 * dims + k * dims + k} floats, the blob ${all.length}`)
  return {
    k, dims,
    mean: all.slice(0, dims), scale: all.slice(dims, 2 * dims),
    weights: all.slice(2 * dims, 2 * dims + k * dims), bias: all.slice(2 * dims + k * dims),
  }
}
