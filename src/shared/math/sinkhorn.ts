/**
 * Entropic optimal transport (Cuturi 2013) solved by Sinkhorn matrix scaling, and the
 * object graph built from its transport plan (MLIR-SARL-GAT eq. 3-4).
 */

/** Options of one Sinkhorn solve. */
export interface SinkhornOptions {
  /** Entropic regularisation epsilon (in cost units). */
  epsilon?: number
  /** Stop when the largest row-marginal violation falls below this. */
  tolerance?: number
  maxIterations?: number
}

/** A transport plan with its convergence record. */
export interface TransportPlan {
  /** Row-major rows x cols plan T; rows sum to `a`, columns to `b`. */
  plan: Float64Array
  rows: number
  cols: number
  iterations: number
  converged: boolean
  /** Max |T 1 - a| at exit (columns are exact after the last update). */
  marginalError: number
  /** <T, C>: the transport cost. */
  cost: number
}

function logSumExp(values: Float64Array): number {
  let m = -Infinity
  for (const v of values) if (v > m) m = v
  if (m === -Infinity) return m
  let s = 0
  for (const v of values) s += Math.exp(v - m)
  return m + Math.log(s)
}

/**
 * Solves min_T <T,C> - eps H(T) s.t. T 1 = a, T^T 1 = b, for a rows x cols cost (row-major).
 * `a` and `b` must be positive and sum to the same total. Uses the matrix-scaling form
 * T = diag(u) K diag(v), K = exp(-C/eps), which is exact in float64 while C/eps stays below ~700
 * (e.g. costs in [0, 2] with eps >= 0.003); the marginal error is checked every few sweeps.
 */
export function sinkhorn(cost: ArrayLike<number>, a: ArrayLike<number>, b: ArrayLike<number>, options: SinkhornOptions = {}): TransportPlan {
  const { epsilon = 0.05, tolerance = 1e-6, maxIterations = 1000 } = options
  const n = a.length
  const m = b.length
  if (cost.length !== n * m) throw new Error(`sinkhorn: cost has ${cost.length} entries for ${n}x${m}`)
  const sa = Array.from(a).reduce((s, v) => s + v, 0)
  const sb = Array.from(b).reduce((s, v) => s + v, 0)
  if (Math.abs(sa - sb) > 1e-6 * Math.max(sa, sb)) throw new Error(`sinkhorn: marginals sum to ${sa} and ${sb}`)
  let minCost = Infinity
  for (let k = 0; k < cost.length; k++) minCost = Math.min(minCost, cost[k])
  const kernel = new Float64Array(n * m)
  for (let k = 0; k < kernel.length; k++) kernel[k] = Math.exp(-(cost[k] - minCost) / epsilon)
  if (kernel.some((v) => v === 0)) {
    const span = Math.max(...Array.from(cost)) - minCost
    throw new Error(`sinkhorn: epsilon ${epsilon} is too small for costs spanning ${span.toFixed(3)} (exp underflows); use epsilon >= ${(span / 700).toPrecision(2)}`)
  }
  const u = new Float64Array(n).fill(1)
  const v = new Float64Array(m).fill(1)
  let iterations = 0
  let error = Infinity
  while (iterations < maxIterations) {
    iterations++
    for (let i = 0; i < n; i++) {
      let s = 0
      for (let j = 0; j < m; j++) s += kernel[i * m + j] * v[j]
      u[i] = a[i] / s
    }
    for (let j = 0; j < m; j++) {
      let s = 0
      for (let i = 0; i < n; i++) s += kernel[i * m + j] * u[i]
      v[j] = b[j] / s
    }
    if (iterations % 5 !== 0 && iterations < maxIterations) continue
    error = 0
    for (let i = 0; i < n; i++) {
      let s = 0
      for (let j = 0; j < m; j++) s += kernel[i * m + j] * v[j]
      error = Math.max(error, Math.abs(u[i] * s - a[i]))
    }
    if (error < tolerance) break
  }
  const plan = new Float64Array(n * m)
  let total = 0
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const t = u[i] * kernel[i * m + j] * v[j]
      plan[i * m + j] = t
      total += t * cost[i * m + j]
    }
  }
  return { plan, rows: n, cols: m, iterations, converged: error < tolerance, marginalError: error, cost: total }
}

/**
 * Object-object adjacency from an object -> label transport plan: A_ij is the cosine similarity
 * of the rows T_i and T_j (how alike the label mass of two objects is), A_ii = 1. Objects that
 * send their mass to the same or semantically close labels are strongly linked; values in [0, 1].
 */
export function adjacencyFromPlan(t: TransportPlan): Float64Array {
  const { rows: n, cols: m, plan } = t
  const norms = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    let s = 0
    for (let k = 0; k < m; k++) s += plan[i * m + k] ** 2
    norms[i] = Math.sqrt(s)
  }
  const adj = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    adj[i * n + i] = 1
    for (let j = i + 1; j < n; j++) {
      let s = 0
      for (let k = 0; k < m; k++) s += plan[i * m + k] * plan[j * m + k]
      const v = norms[i] * norms[j] > 0 ? s / (norms[i] * norms[j]) : 0
      adj[i * n + j] = adj[j * n + i] = v
    }
  }
  return adj
}

/**
 * Label-side marginal implied by the objects themselves: b_k = sum_i a_i softmax_k(-C_ik / tau).
 * Using a uniform b over all C labels would force a photo's few objects to spread their mass over
 * every label; this "demand" keeps the balanced problem while letting objects keep their labels.
 */
export function labelMarginal(cost: ArrayLike<number>, a: ArrayLike<number>, cols: number, tau = 0.1): Float64Array {
  const n = a.length
  const b = new Float64Array(cols)
  const row = new Float64Array(cols)
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < cols; k++) row[k] = -cost[i * cols + k] / tau
    const lse = logSumExp(row)
    for (let k = 0; k < cols; k++) b[k] += a[i] * Math.exp(row[k] - lse)
  }
  // keep every label strictly positive so the log-domain solve stays finite
  const floor = 1e-9
  let total = 0
  for (let k = 0; k < cols; k++) total += (b[k] = Math.max(b[k], floor))
  const mass = Array.from(a).reduce((s, v) => s + v, 0)
  for (let k = 0; k < cols; k++) b[k] *= mass / total
  return b
}
