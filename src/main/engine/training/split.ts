/**
 * Seeded, reproducible splits of a labelled set: the part treated as human-labelled (train, with a
 * validation part inside it for early stopping) and the held-out part every figure is reported on.
 */

/** Indices of each part, in the set's order. */
export interface Split {
  train: number[]
  validation: number[]
  heldOut: number[]
}

/** mulberry32: a small seeded generator in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Fisher-Yates shuffle of 0..n-1 with `seed`. */
export function shuffled(n: number, seed: number): number[] {
  const random = seededRandom(seed)
  const order = Array.from({ length: n }, (_, i) => i)
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[order[i], order[j]] = [order[j], order[i]]
  }
  return order
}

/**
 * Splits n photos: a fraction `labelled` (0 < labelled <= 1) is the labelled part, the rest held
 * out; `validation` of the labelled part (default 0.2) is kept for early stopping. With
 * labelled = 1 nothing is held out. Each part is sorted.
 */
export function splitIndices(n: number, labelled: number, seed: number, validation = 0.2): Split {
  if (!(labelled > 0 && labelled <= 1)) throw new Error(`split ${labelled} must be in (0, 1]`)
  if (!(validation >= 0 && validation < 1)) throw new Error(`validation fraction ${validation} must be in [0, 1)`)
  const order = shuffled(n, seed)
  const cut = Math.round(n * labelled)
  const labelledPart = order.slice(0, cut)
  const valCut = Math.round(labelledPart.length * validation)
  const sort = (a: number[]) => [...a].sort((x, y) => x - y)
  return { validation: sort(labelledPart.slice(0, valCut)), train: sort(labelledPart.slice(valCut)), heldOut: sort(order.slice(cut)) }
}
