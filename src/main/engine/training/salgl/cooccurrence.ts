/**
 * Scene-aware label co-occurrence (SALGL eq. 6-8, 12) on typed arrays: each photo goes to its
 * most probable scene s = argmax_k pi_k (eq. 6) and adds y y^T to C^s (eq. 7), y its known positive
 * labels (partial labels: unknown classes count as absent); P^s_ij = C^s_ij / C^s_ii (eq. 8),
 * a zero row where label i never occurs in scene s. The photo's graph is the mixture
 * P^I = sum_k pi_k P^k (eq. 12).
 */

/** Row-major scene probabilities of n photos (n x K) and their argmax. */
export function sceneAssignment(pi: Float32Array, K: number): Int32Array {
  const n = pi.length / K
  const out = new Int32Array(n)
  for (let b = 0; b < n; b++) {
    let best = 0
    for (let k = 1; k < K; k++) if (pi[b * K + k] > pi[b * K + best]) best = k
    out[b] = best
  }
  return out
}

/** C^k (eq. 7): K x C x C counts from each photo's positive labels and scene. */
export function cooccurrenceCounts(labels: readonly number[][], scenes: Int32Array, K: number, C: number): Float64Array {
  const counts = new Float64Array(K * C * C)
  labels.forEach((ls, b) => {
    const base = scenes[b] * C * C
    const y = [...new Set(ls)]
    for (const i of y) for (const j of y) counts[base + i * C + j] += 1
  })
  return counts
}

/** P^k (eq. 8) from C^k: row i divided by its diagonal (0 where the diagonal is 0). */
export function conditionalProbabilities(counts: Float64Array, K: number, C: number): Float32Array {
  const p = new Float32Array(K * C * C)
  for (let k = 0; k < K; k++) {
    for (let i = 0; i < C; i++) {
      const row = k * C * C + i * C
      const cii = counts[row + i]
      if (cii > 0) for (let j = 0; j < C; j++) p[row + j] = counts[row + j] / cii
    }
  }
  return p
}

/** P^I (eq. 12) of one photo: sum_k pi_k P^k (C x C). */
export function photoGraph(pi: ArrayLike<number>, cooccurrence: Float32Array, C: number): Float32Array {
  const K = pi.length
  const out = new Float32Array(C * C)
  for (let k = 0; k < K; k++) {
    const w = pi[k]
    if (w === 0) continue
    const base = k * C * C
    for (let x = 0; x < C * C; x++) out[x] += w * cooccurrence[base + x]
  }
  return out
}

/** Photos per scene (sizes of the argmax assignment). */
export function sceneSizes(scenes: Int32Array, K: number): number[] {
  const sizes = new Array<number>(K).fill(0)
  for (const s of scenes) sizes[s]++
  return sizes
}

/** Entropy (nats) of the scene sizes: ln K when balanced, 0 when one scene takes every photo (SALGL Table 5). */
export function assignmentEntropy(sizes: readonly number[]): number {
  const n = sizes.reduce((a, b) => a + b, 0)
  return n === 0 ? 0 : sizes.reduce((s, c) => (c > 0 ? s - (c / n) * Math.log(c / n) : s), 0)
}
