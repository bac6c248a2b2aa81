/**
 * Seeded synthetic embeddings for benchmarks and tests: a mixture of Gaussian clusters of
 * unequal sizes, each spread along its own low-rank subspace plus isotropic noise. Clustered,
 * locally low-dimensional data is closer to learned embeddings than uniform noise (on which
 * nearest neighbours are nearly equidistant and every ANN index looks bad).
 */

/** Shape of the mixture. */
export interface MixtureSpec {
  dims: number
  /** Number of clusters (default 1024). */
  clusters?: number
  /** Rank of each cluster's spread (default 16). */
  rank?: number
  /** Norm of the in-cluster spread relative to the centre's norm (default 0.7). */
  spread?: number
  /** Norm of isotropic noise relative to the centre's norm (default 0.2). */
  noise?: number
  /** Cluster sizes follow weights 1 / (i + 10) (Zipf-like); false = equal sizes. */
  skewed?: boolean
  seed?: number
}

/** sfc32: small, fast, good-quality seeded PRNG returning floats in [0, 1). */
export function sfc32(seed: number): () => number {
  let a = 0x9e3779b9, b = 0x243f6a88, c = 0xb7e15162, d = seed >>> 0
  const next = (): number => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0
    const t = (a + b + d) >>> 0
    d = (d + 1) >>> 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) >>> 0
    c = ((c << 21) | (c >>> 11)) >>> 0
    c = (c + t) >>> 0
    return t / 4294967296
  }
  for (let i = 0; i < 16; i++) next()
  return next
}

/** Standard normal samples from a uniform PRNG (Box-Muller, both outputs used). */
export function gaussian(rand: () => number): () => number {
  let spare: number | undefined
  return () => {
    if (spare !== undefined) {
      const s = spare
      spare = undefined
      return s
    }
    const u = 1 - rand()
    const r = Math.sqrt(-2 * Math.log(u))
    const th = 2 * Math.PI * rand()
    spare = r * Math.sin(th)
    return r * Math.cos(th)
  }
}

/** A fixed mixture from which any number of points can be drawn with independent seeds. */
export class GaussianMixture {
  private readonly centres: Float32Array
  private readonly bases: Float32Array
  private readonly cumulative: Float64Array
  readonly dims: number
  readonly clusters: number
  private readonly rank: number
  private readonly spreadScale: number
  private readonly noiseScale: number

  constructor(spec: MixtureSpec) {
    const { dims, clusters = 1024, rank = 16, spread = 0.7, noise = 0.2, skewed = true, seed = 42 } = spec
    this.dims = dims
    this.clusters = clusters
    this.rank = rank
    const g = gaussian(sfc32(seed))
    this.centres = Float32Array.from({ length: clusters * dims }, g)
    this.bases = Float32Array.from({ length: clusters * rank * dims }, g)
    // Centre norm ~ sqrt(dims). Spread: rank terms z_j b_j, |b_j| ~ sqrt(dims), z_j ~ N(0, s^2/rank),
    // so its norm ~ spread * sqrt(dims); noise: per-value N(0, noise^2), norm ~ noise * sqrt(dims).
    this.spreadScale = spread / Math.sqrt(rank)
    this.noiseScale = noise
    const w = Float64Array.from({ length: clusters }, (_, i) => (skewed ? 1 / (i + 10) : 1))
    this.cumulative = new Float64Array(clusters)
    let acc = 0
    const total = w.reduce((s, x) => s + x, 0)
    for (let i = 0; i < clusters; i++) this.cumulative[i] = acc += w[i] / total
  }

  /** `n` points as one row-major matrix (n x dims), drawn with `seed`. */
  sample(n: number, seed: number): Float32Array {
    const { dims, rank } = this
    const rand = sfc32(seed)
    const g = gaussian(rand)
    const out = new Float32Array(n * dims)
    const z = new Float64Array(rank)
    for (let p = 0; p < n; p++) {
      const c = this.pickCluster(rand())
      const row = out.subarray(p * dims, (p + 1) * dims)
      const centre = this.centres.subarray(c * dims, (c + 1) * dims)
      for (let j = 0; j < rank; j++) z[j] = g() * this.spreadScale
      for (let i = 0; i < dims; i++) row[i] = centre[i] + g() * this.noiseScale
      for (let j = 0; j < rank; j++) {
        const b = this.bases.subarray((c * rank + j) * dims, (c * rank + j + 1) * dims)
        const zj = z[j]
        for (let i = 0; i < dims; i++) row[i] += zj * b[i]
      }
    }
    return out
  }

  private pickCluster(u: number): number {
    let lo = 0, hi = this.clusters - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.cumulative[mid] < u) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}
