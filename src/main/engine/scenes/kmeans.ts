/**
 * k-means with the k-means++ start (Arthur & Vassilvitskii 2007), over row-major float rows, seeded
 * so that a library always gets the same clusters from the same features. Used as the start of the
 * scene model (SALGL eq. 5's prototypes w_k) and as the plain baseline the entropy loss is measured
 * against.
 */
import { seededRandom } from '../../../shared/math/vector.js'

/** What k-means found. */
export interface KMeansResult {
  /** K x d centroids, row-major. */
  centroids: Float32Array
  /** Each row's nearest centroid. */
  assignment: Uint8Array
  /** Lloyd iterations run. */
  iterations: number
  /** Sum of squared distances to the nearest centroid. */
  inertia: number
}

/** Squared Euclidean distance between row `i` of `x` and row `k` of `c` (both d wide). */
function distance2(x: Float32Array, i: number, c: Float32Array, k: number, d: number): number {
  let s = 0
  const a = i * d
  const b = k * d
  for (let j = 0; j < d; j++) {
    const t = x[a + j] - c[b + j]
    s += t * t
  }
  return s
}

/** k-means++ seeding: each next centroid drawn with probability proportional to D(x)^2. */
function seedCentroids(x: Float32Array, n: number, d: number, k: number, random: () => number): Float32Array {
  const c = new Float32Array(k * d)
  const first = Math.floor(random() * n)
  c.set(x.subarray(first * d, first * d + d), 0)
  const best = new Float64Array(n).fill(Infinity)
  for (let m = 1; m < k; m++) {
    let total = 0
    for (let i = 0; i < n; i++) {
      const dist = distance2(x, i, c, m - 1, d)
      if (dist < best[i]) best[i] = dist
      total += best[i]
    }
    let r = random() * total
    let pick = n - 1
    for (let i = 0; i < n; i++) {
      r -= best[i]
      if (r <= 0) {
        pick = i
        break
      }
    }
    c.set(x.subarray(pick * d, pick * d + d), m * d)
  }
  return c
}

/** Lloyd's k-means from a k-means++ start, until no row changes cluster or `maxIterations`. */
export function kMeans(x: Float32Array, n: number, d: number, k: number, options: { seed?: number; maxIterations?: number } = {}): KMeansResult {
  if (k < 1 || k > 255) throw new Error(`k-means needs 1 <= k <= 255, got ${k}`)
  if (n < k) throw new Error(`k-means needs at least k = ${k} rows, got ${n}`)
  const random = seededRandom(options.seed ?? 1)
  const c = seedCentroids(x, n, d, k, random)
  const assignment = new Uint8Array(n)
  const sums = new Float64Array(k * d)
  const sizes = new Float64Array(k)
  let iterations = 0
  let inertia = 0
  for (; iterations < (options.maxIterations ?? 100); iterations++) {
    let changed = 0
    inertia = 0
    for (let i = 0; i < n; i++) {
      let bestK = 0
      let bestD = Infinity
      for (let m = 0; m < k; m++) {
        const dist = distance2(x, i, c, m, d)
        if (dist < bestD) {
          bestD = dist
          bestK = m
        }
      }
      inertia += bestD
      if (assignment[i] !== bestK || iterations === 0) changed++
      assignment[i] = bestK
    }
    if (changed === 0) break
    sums.fill(0)
    sizes.fill(0)
    for (let i = 0; i < n; i++) {
      const m = assignment[i]
      sizes[m]++
      for (let j = 0; j < d; j++) sums[m * d + j] += x[i * d + j]
    }
    for (let m = 0; m < k; m++) {
      if (sizes[m] === 0) continue // an empty cluster keeps its centroid
      for (let j = 0; j < d; j++) c[m * d + j] = sums[m * d + j] / sizes[m]
    }
  }
  return { centroids: c, assignment, iterations, inertia }
}
