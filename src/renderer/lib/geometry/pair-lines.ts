/**
 * Geometry of a search explanation: the query photo and a result photo side by side in one SVG,
 * their matched objects boxed, and one line per matched pair from box centre to box centre.
 */
import type { Box } from '../../../shared/domain.js'
import type { MatchView, SearchQueryObject } from '../../../shared/api-types.js'
import { boxCenter, fitContain, placeBox, type Placement, type Point } from './boxes.js'

/** Two photos placed side by side in a `width x height` drawing. */
export interface SideBySide {
  left: Placement
  right: Placement
  width: number
  height: number
}

/** Fits two photos into the two halves of a `width x height` panel with `gap` between them. */
export function sideBySide(
  leftSize: { width: number; height: number },
  rightSize: { width: number; height: number },
  width: number,
  height: number,
  gap: number,
): SideBySide {
  const half = Math.max(0, (width - gap) / 2)
  const left = fitContain(leftSize.width, leftSize.height, half, height)
  const right = fitContain(rightSize.width, rightSize.height, half, height)
  return { left, right: { ...right, x: right.x + half + gap }, width, height }
}

/** A matched pair as drawn: both boxes in drawing pixels, the line between their centres, its label. */
export interface PairLine {
  key: string
  queryIndex: number
  resultObjectId: number
  queryBox: Box
  resultBox: Box
  from: Point
  to: Point
  mid: Point
  cost: number
  closeness: string
  /** 1-based number of the pair, shown on the line and in the list. */
  number: number
}

/**
 * Matches with no repeated pair: sorted by ascending cost, each query object and each result
 * object used at most once (the engine promises it; a buggy or stale reply must not draw twice).
 */
export function uniquePairs<M extends Pick<MatchView, 'queryIndex' | 'resultObjectId' | 'cost'>>(matches: readonly M[]): M[] {
  const usedQuery = new Set<number>()
  const usedResult = new Set<number>()
  const out: M[] = []
  for (const m of [...matches].sort((a, b) => a.cost - b.cost)) {
    if (usedQuery.has(m.queryIndex) || usedResult.has(m.resultObjectId)) continue
    usedQuery.add(m.queryIndex)
    usedResult.add(m.resultObjectId)
    out.push(m)
  }
  return out
}

/** Lines between the matched pairs of an explanation laid out by {@link sideBySide}. */
export function pairLines(matches: readonly MatchView[], queryObjects: readonly SearchQueryObject[], layout: SideBySide): PairLine[] {
  const byIndex = new Map(queryObjects.map((q) => [q.index, q]))
  const lines: PairLine[] = []
  for (const m of uniquePairs(matches)) {
    const q = byIndex.get(m.queryIndex)
    if (!q) continue
    const queryBox = placeBox(q.box, layout.left)
    const resultBox = placeBox(m.resultBox, layout.right)
    const from = boxCenter(queryBox)
    const to = boxCenter(resultBox)
    lines.push({
      key: `${m.queryIndex}:${m.resultObjectId}`,
      queryIndex: m.queryIndex,
      resultObjectId: m.resultObjectId,
      queryBox,
      resultBox,
      from,
      to,
      mid: { x: (from.x + to.x) / 2, y: (from.y + to.y) / 2 },
      cost: m.cost,
      closeness: m.closeness,
      number: lines.length + 1,
    })
  }
  return lines
}

/** The cost of a pair as a user reads it: "very close (0.08)"; lower is closer. */
export function costInWords(closeness: string, cost: number): string {
  return `${closeness} (${cost.toFixed(2)})`
}
