/**
 * Training of the scene model without scene labels (SALGL section 3.3): a k-means++ start gives
 * the prototypes, then mini-batch Adam on the entropy loss L_en = L1 + L2 (eq. 9-11) — L1 the mean
 * per-photo entropy (sharp assignments), L2 = sum_k pbar_k log pbar_k - log(1/K) over the batch's
 * mean assignment (balanced scenes) — with a small weight decay that keeps W finite (L1 alone
 * rewards ever larger weights). Plain typed-array gradients: the model is one K x d matrix, and
 * this runs in a worker thread without the autodiff library's start-up (measured in the note).
 *
 * Gradients: with g_bk = dL/dpi_bk = [-(log pi_bk + 1) + lambda (log pbar_k + 1)] / B, the
 * softmax gives dL/dz_bk = pi_bk (g_bk - sum_j pi_bj g_bj), dW = sum_b dz_b x_b^T, db = sum_b dz_b.
 */
import { seededRandom } from '../../../shared/math/vector.js'
import { kMeans } from './kmeans.js'
import { featureStats, standardise, type SceneModel } from './scene-model.js'

/** Options of {@link trainSceneModel}. */
export interface SceneTrainingOptions {
  k: number
  seed?: number
  /** Weight of the batch-level term L2 (eq. 10); 0 trains on L1 alone. Default 1 (eq. 11). */
  batchWeight?: number
  /** Mini-batch size B. Default 256. */
  batchSize?: number
  /** Adam steps. Default 600. */
  steps?: number
  /** Adam learning rate. Default 0.05. */
  learningRate?: number
  /** L2 weight decay on W. Default 1e-3. */
  weightDecay?: number
  /** Sharpness of the k-means start: pi_k ~ exp(-beta/2 |x - c_k|^2). Default 8. */
  startSharpness?: number
  /** 'kmeans' (default) or 'random' (small random prototypes: to show what the start does). */
  start?: 'kmeans' | 'random'
  /** Rows k-means sees at most (a seeded sample; all rows still train). Default 20,000. */
  kMeansSample?: number
  /** Called with the fraction done (0..1) now and then. */
  onProgress?: (fraction: number) => void
  /** Checked between steps: a cancelled training throws an AbortError. */
  signal?: AbortSignal
}

/** A trained model and how training went. */
export interface SceneTraining {
  model: SceneModel
  /** The k-means start's hard assignment of the rows k-means saw (all rows when n <= kMeansSample). */
  kMeans: { assignment: Uint8Array; rows: Int32Array; iterations: number }
  /** L1 and L2 of the last steps (mean over the last 10%). */
  finalLoss: { l1: number; l2: number }
  milliseconds: number
}

/** A seeded sample of `m` of `n` row numbers (all when m >= n), ascending. */
function sampleRows(n: number, m: number, seed: number): Int32Array {
  if (m >= n) return Int32Array.from({ length: n }, (_, i) => i)
  const random = seededRandom(seed)
  const pick = Int32Array.from({ length: n }, (_, i) => i)
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(random() * (n - i))
    const t = pick[i]
    pick[i] = pick[j]
    pick[j] = t
  }
  return pick.slice(0, m).sort()
}

/** The start: k-means prototypes (or small random ones), as softmax weights. */
function startModel(x: Float32Array, n: number, d: number, o: SceneTrainingOptions, stats: { mean: Float32Array; scale: Float32Array }) {
  const seed = o.seed ?? 1
  const rows = sampleRows(n, o.kMeansSample ?? 20_000, seed + 11)
  const sub = new Float32Array(rows.length * d)
  rows.forEach((r, i) => sub.set(x.subarray(r * d, r * d + d), i * d))
  const km = kMeans(sub, rows.length, d, o.k, { seed })
  const weights = new Float32Array(o.k * d)
  const bias = new Float32Array(o.k)
  if ((o.start ?? 'kmeans') === 'kmeans') {
    const beta = o.startSharpness ?? 8
    for (let m = 0; m < o.k; m++) {
      let norm = 0
      for (let j = 0; j < d; j++) {
        const c = km.centroids[m * d + j]
        weights[m * d + j] = beta * c
        norm += c * c
      }
      bias[m] = (-beta / 2) * norm
    }
  } else {
    const random = seededRandom(seed + 5)
    for (let i = 0; i < weights.length; i++) weights[i] = (random() - 0.5) * 0.02
  }
  const model: SceneModel = { k: o.k, dims: d, mean: stats.mean, scale: stats.scale, weights, bias }
  return { model, kMeans: { assignment: km.assignment, rows, iterations: km.iterations } }
}

/**
 * Trains a scene model on n raw feature rows (n x d, row-major; standardised in place). Deterministic
 * for a seed. Throws an AbortError when `signal` aborts.
 */
export function trainSceneModel(features: Float32Array, n: number, d: number, options: SceneTrainingOptions): SceneTraining {
  const t0 = performance.now()
  const { k } = options
  if (n < k) throw new Error(`finding ${k} scenes needs at least ${k} photos with features, the library has ${n}`)
  const stats = featureStats(features, n, d)
  const x = standardise(features, n, { dims: d, ...stats })
  const start = startModel(x, n, d, options, stats)
  const { model } = start
  const B = Math.min(options.batchSize ?? 256, n)
  const steps = options.steps ?? 600
  const lr = options.learningRate ?? 0.05
  const decay = options.weightDecay ?? 1e-3
  const lambda = options.batchWeight ?? 1
  const random = seededRandom((options.seed ?? 1) + 101)
  const P = k * d + k
  const m1 = new Float64Array(P)
  const m2 = new Float64Array(P)
  const grad = new Float64Array(P)
  const z = new Float64Array(B * k)
  const pi = new Float64Array(B * k)
  const logPi = new Float64Array(B * k)
  const batch = new Int32Array(B)
  const order = Int32Array.from({ length: n }, (_, i) => i)
  let cursor = n
  const tail = Math.max(1, Math.floor(steps / 10))
  let l1Tail = 0
  let l2Tail = 0
  for (let step = 0; step < steps; step++) {
    if (options.signal?.aborted) throw Object.assign(new Error('scene training was cancelled'), { name: 'AbortError' })
    for (let b = 0; b < B; b++) {
      if (cursor >= n) {
        for (let i = n - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1))
          const t = order[i]
          order[i] = order[j]
          order[j] = t
        }
        cursor = 0
      }
      batch[b] = order[cursor++]
    }
    // forward: z, log-softmax, batch mean
    const pbar = new Float64Array(k)
    let l1 = 0
    for (let b = 0; b < B; b++) {
      const a = batch[b] * d
      let max = -Infinity
      for (let m = 0; m < k; m++) {
        let s = model.bias[m]
        for (let j = 0; j < d; j++) s += model.weights[m * d + j] * x[a + j]
        z[b * k + m] = s
        if (s > max) max = s
      }
      let sum = 0
      for (let m = 0; m < k; m++) sum += Math.exp(z[b * k + m] - max)
      const lse = max + Math.log(sum)
      for (let m = 0; m < k; m++) {
        logPi[b * k + m] = z[b * k + m] - lse
        pi[b * k + m] = Math.exp(logPi[b * k + m])
        pbar[m] += pi[b * k + m] / B
        l1 -= (pi[b * k + m] * logPi[b * k + m]) / B
      }
    }
    let l2 = Math.log(k)
    for (let m = 0; m < k; m++) if (pbar[m] > 0) l2 += pbar[m] * Math.log(pbar[m])
    if (step >= steps - tail) {
      l1Tail += l1 / tail
      l2Tail += l2 / tail
    }
    // backward
    grad.fill(0)
    const g = new Float64Array(k)
    for (let b = 0; b < B; b++) {
      let dot = 0
      for (let m = 0; m < k; m++) {
        g[m] = (-(logPi[b * k + m] + 1) + lambda * (Math.log(Math.max(pbar[m], 1e-30)) + 1)) / B
        dot += pi[b * k + m] * g[m]
      }
      const a = batch[b] * d
      for (let m = 0; m < k; m++) {
        const dz = pi[b * k + m] * (g[m] - dot)
        if (dz === 0) continue
        for (let j = 0; j < d; j++) grad[m * d + j] += dz * x[a + j]
        grad[k * d + m] += dz
      }
    }
    // Adam (weight decay on W only)
    const t = step + 1
    const c1 = 1 - 0.9 ** t
    const c2 = 1 - 0.999 ** t
    for (let p = 0; p < P; p++) {
      const isW = p < k * d
      const gp = grad[p] + (isW ? decay * model.weights[p] : 0)
      m1[p] = 0.9 * m1[p] + 0.1 * gp
      m2[p] = 0.999 * m2[p] + 0.001 * gp * gp
      const update = (lr * (m1[p] / c1)) / (Math.sqrt(m2[p] / c2) + 1e-8)
      if (isW) model.weights[p] -= update
      else model.bias[p - k * d] -= update
    }
    if (options.onProgress && step % 50 === 0) options.onProgress(step / steps)
  }
  options.onProgress?.(1)
  return { model, kMeans: start.kMeans, finalLoss: { l1: l1Tail, l2: l2Tail }, milliseconds: performance.now() - t0 }
}
