/**
 * How balanced and how sure an assignment is (SALGL Table 5), and how well two partitions agree
 * (normalised mutual information). Natural logarithms throughout: a perfectly balanced assignment
 * over K scenes has entropy ln K.
 */

/** Entropy of a distribution given as non-negative weights (normalised here). */
export function entropyOf(weights: ArrayLike<number>): number {
  let total = 0
  for (let i = 0; i < weights.length; i++) total += weights[i]
  if (total <= 0) return 0
  let h = 0
  for (let i = 0; i < weights.length; i++) {
    const p = weights[i] / total
    if (p > 0) h -= p * Math.log(p)
  }
  return h
}

/** The balance of soft assignments pi (n x K). */
export interface Balance {
  /** Entropy of the mean assignment (batch-level, eq. 10's term): ln K when balanced. */
  batch: number
  /** Mean entropy of each photo's pi (sample-level, eq. 9): 0 when every photo is sure. */
  perPhoto: number
  /** Entropy of the hard assignment's histogram (how the paper's Table 5 counts it). */
  hard: number
  /** ln K. */
  max: number
}

/** Balance of soft assignments pi (n x K, rows summing to 1). */
export function balanceOf(pi: Float32Array, n: number, k: number): Balance {
  const mean = new Float64Array(k)
  const hist = new Float64Array(k)
  let perPhoto = 0
  for (let i = 0; i < n; i++) {
    let best = 0
    for (let m = 0; m < k; m++) {
      const p = pi[i * k + m]
      mean[m] += p
      if (p > 0) perPhoto -= p * Math.log(p)
      if (p > pi[i * k + best]) best = m
    }
    hist[best]++
  }
  return { batch: entropyOf(mean), perPhoto: n > 0 ? perPhoto / n : 0, hard: entropyOf(hist), max: Math.log(k) }
}

/** Entropy of a hard partition (labels 0..k-1). */
export function partitionEntropy(labels: ArrayLike<number>): number {
  const counts = new Map<number, number>()
  for (let i = 0; i < labels.length; i++) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1)
  return entropyOf([...counts.values()])
}

/**
 * Normalised mutual information of two partitions of the same items, I(A;B) / sqrt(H(A) H(B))
 * (0: independent, 1: the same partition up to names; 0 when either has one part).
 */
export function normalisedMutualInformation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`NMI needs partitions of the same items (${a.length} vs ${b.length})`)
  const n = a.length
  if (n === 0) return 0
  const joint = new Map<string, number>()
  const ca = new Map<number, number>()
  const cb = new Map<number, number>()
  for (let i = 0; i < n; i++) {
    joint.set(`${a[i]}:${b[i]}`, (joint.get(`${a[i]}:${b[i]}`) ?? 0) + 1)
    ca.set(a[i], (ca.get(a[i]) ?? 0) + 1)
    cb.set(b[i], (cb.get(b[i]) ?? 0) + 1)
  }
  let mi = 0
  for (const [key, nij] of joint) {
    const [x, y] = key.split(':').map(Number)
    mi += (nij / n) * Math.log((nij * n) / (ca.get(x)! * cb.get(y)!))
  }
  const ha = entropyOf([...ca.values()])
  const hb = entropyOf([...cb.values()])
  return ha > 0 && hb > 0 ? Math.max(0, mi) / Math.sqrt(ha * hb) : 0
}
