/** Counting label pairs per scene (SALGL eq. 7: C^s += y y^T), over sorted class id sets. */

const A = 2 ** 32
const B = 2 ** 16

/** Sums of count deltas per (scene, a, b) with a <= b, in memory. */
export class CountAccumulator {
  private readonly sums = new Map<number, number>()

  /** Adds `delta` x y y^T of one photo's labels (ascending or not) to scene `scene`. */
  add(scene: number, labels: ArrayLike<number>, delta: number): void {
    for (let i = 0; i < labels.length; i++) {
      for (let j = i; j < labels.length; j++) {
        const a = Math.min(labels[i], labels[j])
        const b = Math.max(labels[i], labels[j])
        const key = scene * A + a * B + b
        this.sums.set(key, (this.sums.get(key) ?? 0) + delta)
      }
    }
  }

  /** [scene, a, b, n] for every non-zero sum. */
  *entries(): Generator<[number, number, number, number]> {
    for (const [key, n] of this.sums) {
      if (n === 0) continue
      const scene = Math.floor(key / A)
      const rest = key - scene * A
      yield [scene, Math.floor(rest / B), rest % B, n]
    }
  }
}

/** Entropy of one pi row (natural log). */
export function rowEntropy(row: ArrayLike<number>): number {
  let h = 0
  for (let i = 0; i < row.length; i++) if (row[i] > 0) h -= row[i] * Math.log(row[i])
  return h
}
