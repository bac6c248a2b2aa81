/** Small dense-vector helpers shared by the engine and the renderer (pure TS). */

/** Dot product of two equal-length vectors. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i] * b[i]
  return s
}

/** Euclidean norm. */
export function norm(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a))
}

/** Cosine similarity; 0 when either vector is zero. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = norm(a) * norm(b)
  return n === 0 ? 0 : dot(a, b) / n
}

/** A unit-length copy (a zero vector stays zero). */
export function l2normalize(a: ArrayLike<number>): Float32Array {
  const n = norm(a)
  const out = new Float32Array(a.length)
  if (n > 0) for (let i = 0; i < a.length; i++) out[i] = a[i] / n
  return out
}

/** Element-wise mean of equal-length vectors, optionally weighted. */
export function meanOf(vectors: ArrayLike<number>[], weights?: number[]): Float32Array {
  if (vectors.length === 0) throw new Error('meanOf: no vectors')
  const out = new Float32Array(vectors[0].length)
  let total = 0
  vectors.forEach((v, k) => {
    const w = weights ? weights[k] : 1
    total += w
    for (let i = 0; i < out.length; i++) out[i] += w * v[i]
  })
  if (total > 0) for (let i = 0; i < out.length; i++) out[i] /= total
  return out
}

/** Deterministic PRNG (mulberry32) so default parameters are reproducible. */
export function seededRandom(seed: number): () => number {
  let t = seed >>> 0
  return () => {
    t = (t + 0x6d2b79f5) >>> 0
    let r = Math.imul(t ^ (t >>> 15), 1 | t)
    r ^= r + Math.imul(r ^ (r >>> 7), 61 | r)
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296
  }
}

/** Standard normal samples from a seeded PRNG (Box-Muller). */
export function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12)
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand())
}

/**
 * A rows x cols matrix (row-major) with orthonormal rows (rows <= cols), from a seeded Gaussian
 * matrix by Gram-Schmidt. Used for deterministic, information-preserving default projections.
 */
export function orthonormalRows(rows: number, cols: number, seed: number): Float32Array {
  if (rows > cols) throw new Error(`orthonormalRows: ${rows} rows > ${cols} cols`)
  const rand = seededRandom(seed)
  const m = new Float64Array(rows * cols)
  for (let r = 0; r < rows; r++) {
    const row = m.subarray(r * cols, (r + 1) * cols)
    for (let c = 0; c < cols; c++) row[c] = gaussian(rand)
    for (let q = 0; q < r; q++) {
      const prev = m.subarray(q * cols, (q + 1) * cols)
      const p = dot(row, prev)
      for (let c = 0; c < cols; c++) row[c] -= p * prev[c]
    }
    const n = norm(row)
    for (let c = 0; c < cols; c++) row[c] /= n
  }
  return Float32Array.from(m)
}

/**
 * sum_k a[ao + k] * b[bo + k] for k < len: the inner loop of every dense layer, unrolled by four
 * (independent accumulators roughly double the throughput of the plain loop in V8).
 */
export function dotAt(a: Float32Array, ao: number, b: Float32Array, bo: number, len: number): number {
  let s0 = 0
  let s1 = 0
  let s2 = 0
  let s3 = 0
  let k = 0
  for (; k + 3 < len; k += 4) {
    s0 += a[ao + k] * b[bo + k]
    s1 += a[ao + k + 1] * b[bo + k + 1]
    s2 += a[ao + k + 2] * b[bo + k + 2]
    s3 += a[ao + k + 3] * b[bo + k + 3]
  }
  for (; k < len; k++) s0 += a[ao + k] * b[bo + k]
  return s0 + s1 + s2 + s3
}

/** y = M x for a row-major rows x cols matrix. */
export function matVec(m: Float32Array, rows: number, cols: number, x: Float32Array): Float32Array {
  if (x.length !== cols) throw new Error(`matVec: vector of ${x.length} for ${cols} columns`)
  const y = new Float32Array(rows)
  for (let r = 0; r < rows; r++) y[r] = dotAt(m, r * cols, x, 0, cols)
  return y
}
