/**
 * Entropic optimal transport (Cuturi 2013) solved by log-domain Sinkhorn iterations, and the
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
 * `a` and `b` must be positive and sum to the same total.
 */
export function sinkhorn(cost: ArrayLike<number>, a: ArrayLike<number>, b: ArrayLike<number>, options: SinkhornOptions = {}): TransportPlan {
  const { epsilon = 0.05, tolerance = 1e-6, maxIterations = 1000 } = options
  const n = a.length
  const m = b.length
  if (cost.length !== n * m) throw new Error(`sinkhorn: cost has ${cost.length} entries for ${n}x${m}`)
  const sa = Array.from(a).reduce((s, v) => s + v, 0)
  const sb = Array.from(b).reduce((s, v) => s + v, 0)
  if (Math.abs(sa - sb) > 1e-6 * Math.max(sa, sb)) throw new Error(`sinkhorn: marginals sum to ${sa} and ${sb}`)
  const logA = Float64Array.from(a, Math.log)
  const logB = Float64Array.from(b, Math.log)
  const f = new Float64Array(n)
  const g = new Float64Array(m)
  const rowBuf = new Float64Array(m)
  const colBuf = new Float64Array(n)
  let iterations = 0
  let error = Infinity
  while (iterations < maxIterations) {
    iterations++
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) rowBuf[j] = (g[j] - cost[i * m + j]) / epsilon
      f[i] = epsilon * (logA[i] - logSumExp(rowBuf))
    }
    for (let j = 0; j < m; j++) {
      for (let i = 0; i < n; i++) colBuf[i] = (f[i] - cost[i * m + j]) / epsilon
      g[j] = epsilon * (logB[j] - logSumExp(colBuf))
    }
    error = 0
    for (let i = 0; i < n; i++) {
      let s = 0
      for (let j = 0; j < m; j++) s += Math.exp((f[i] + g[j] - cost[i * m + j]) / epsilon)
      error = Math.max(error, Math.abs(s - a[i]))
    }
    if (error < tolerance) break
  }
  const plan = new Float64Array(n * m)
  let total = 0
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const t = Math.exp((f[i] + g[j] - cost[i * m + j]) / epsilon)
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
