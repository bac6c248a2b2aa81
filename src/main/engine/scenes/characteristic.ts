/**
 * What sets a scene apart, from its co-occurrence counts: labels at least 1.5 times as frequent in
 * the scene as in the library (lift), ranked by ln(lift) x sqrt(share) — lift says how much the
 * label sets the scene apart, the share keeps a label seen on 2 photos from leading — so that
 * "person", in most scenes about as often as anywhere, does not name scenes, while "traffic light"
 * in a street scene does; and the scene's strongest label pairs. (share x ln(lift), a label's term
 * of the KL divergence, was tried first: it let "person" name 2 of 6 coco-dev scenes at lift 1.1-1.3.)
 */
import type { SceneLabel } from '../../../shared/scene-types.js'

/** Symmetric counts of one scene (or the library): label -> label -> photos with both. */
export type PairCounts = Map<number, Map<number, number>>

/** Builds {@link PairCounts} from rows a <= b. */
export function pairCounts(rows: readonly { a: number; b: number; n: number }[]): PairCounts {
  const out: PairCounts = new Map()
  const put = (a: number, b: number, n: number): void => {
    let row = out.get(a)
    if (!row) out.set(a, (row = new Map()))
    row.set(b, (row.get(b) ?? 0) + n)
  }
  for (const { a, b, n } of rows) {
    if (n <= 0) continue
    put(a, b, n)
    if (a !== b) put(b, a, n)
  }
  return out
}

/** Photos with label a (the diagonal). */
export const labelCount = (c: PairCounts, a: number): number => c.get(a)?.get(a) ?? 0

/** Least lift of a characteristic label. */
export const MIN_LIFT = 1.5

/**
 * Labels of a scene of `size` photos by how characteristic they are, against the library's counts
 * over `total` photos. Only labels on at least `minShare` of the scene's photos (and 2 photos) with
 * a lift of at least {@link MIN_LIFT} are listed.
 */
export function characteristicLabels(scene: PairCounts, size: number, library: PairCounts, total: number, nameOf: (classId: number) => string,
  options: { minShare?: number; limit?: number } = {}): SceneLabel[] {
  if (size === 0 || total === 0) return []
  const out: (SceneLabel & { score: number })[] = []
  for (const a of scene.keys()) {
    const n = labelCount(scene, a)
    const share = n / size
    const libShare = labelCount(library, a) / total
    if (n < 2 || share < (options.minShare ?? 0.05) || libShare <= 0) continue
    const lift = share / libShare
    if (lift < MIN_LIFT) continue
    out.push({ classId: a, name: nameOf(a), lift, share, score: Math.log(lift) * Math.sqrt(share) })
  }
  out.sort((x, y) => y.score - x.score || x.classId - y.classId)
  return out.slice(0, options.limit ?? 8).map(({ classId, name, lift, share }) => ({ classId, name, lift, share }))
}

/** A scene's name from its top characteristic labels ("car · traffic light · bus"), or a fallback. */
export function sceneName(labels: readonly SceneLabel[], id: number): string {
  return labels.length > 0 ? labels.slice(0, 3).map((l) => l.name).join(' · ') : `scene ${id + 1}`
}

/**
 * The strongest label pairs of a scene: pairs seen together on at least `minCount` photos, ranked by
 * sqrt(P(b|a) P(a|b)) (high only when each label goes with the other), each given as [a, b, P(b|a)]
 * in the direction with the larger conditional probability.
 */
export function strongestPairs(scene: PairCounts, nameOf: (classId: number) => string, options: { minCount?: number; limit?: number } = {}): [string, string, number][] {
  const found: { a: number; b: number; p: number; score: number }[] = []
  for (const [a, row] of scene) {
    for (const [b, n] of row) {
      if (b <= a || n < (options.minCount ?? 2)) continue
      const pba = n / labelCount(scene, a)
      const pab = n / labelCount(scene, b)
      const [x, y, p] = pba >= pab ? [a, b, pba] : [b, a, pab]
      found.push({ a: x, b: y, p, score: Math.sqrt(pba * pab) })
    }
  }
  found.sort((u, v) => v.score - u.score || u.a - v.a || u.b - v.b)
  return found.slice(0, options.limit ?? 5).map((f) => [nameOf(f.a), nameOf(f.b), f.p])
}
