import { describe, expect, it } from 'vitest'
import type { MatchView, SearchQueryObject } from '../../../src/shared/api-types.js'
import { costInWords, pairLines, sideBySide, uniquePairs } from '../../../src/renderer/lib/geometry/pair-lines.js'

const match = (queryIndex: number, resultObjectId: number, cost: number, resultBox: MatchView['resultBox'] = [0, 0, 100, 100]): MatchView => ({
  queryIndex,
  resultObjectId,
  resultClassName: 'dog',
  resultBox,
  cost,
  closeness: cost < 0.1 ? 'very close' : 'similar',
  mass: 1,
})

const query = (index: number, box: SearchQueryObject['box']): SearchQueryObject => ({
  index,
  objectId: 100 + index,
  classId: 16,
  className: 'dog',
  box,
  score: 0.9,
  origin: 'stored',
})

describe('explanation pair lines', () => {
  it('places two photos side by side in the halves of the panel', () => {
    // Panel 1000x400, gap 40: halves 480x400. 800x600 query -> scale 0.6 (480x360); 400x800 result -> scale 0.5 (200x400).
    const layout = sideBySide({ width: 800, height: 600 }, { width: 400, height: 800 }, 1000, 400, 40)
    expect(layout.left).toEqual({ x: 0, y: 20, width: 480, height: 360, scale: 0.6 })
    expect(layout.right).toEqual({ x: 520 + 140, y: 0, width: 200, height: 400, scale: 0.5 })
  })

  it('keeps each query and result object in one pair only, cheapest first', () => {
    const pairs = uniquePairs([match(0, 7, 0.3), match(0, 8, 0.05), match(1, 8, 0.2), match(1, 9, 0.4), match(0, 8, 0.05)])
    expect(pairs.map((p) => [p.queryIndex, p.resultObjectId])).toEqual([
      [0, 8],
      [1, 9],
    ])
  })

  it('joins box centres across the two photos, numbered in cost order', () => {
    const layout = sideBySide({ width: 800, height: 600 }, { width: 400, height: 800 }, 1000, 400, 40)
    const lines = pairLines([match(1, 9, 0.4, [0, 0, 400, 800]), match(0, 8, 0.05, [100, 100, 300, 300])], [query(0, [0, 0, 200, 200]), query(1, [400, 300, 800, 600])], layout)
    expect(lines.map((l) => l.key)).toEqual(['0:8', '1:9'])
    // Query box 0 centre (100,100) -> left placement (60, 20 + 60); result box centre (200,200) -> (660 + 100, 100).
    expect(lines[0].from).toEqual({ x: 60, y: 80 })
    expect(lines[0].to).toEqual({ x: 760, y: 100 })
    expect(lines[0].mid).toEqual({ x: 410, y: 90 })
    expect(lines[0].number).toBe(1)
    expect(lines[1].resultBox).toEqual([660, 0, 860, 400])
    // A match whose query object is unknown is not drawn.
    expect(pairLines([match(5, 1, 0.1)], [query(0, [0, 0, 1, 1])], layout)).toEqual([])
  })

  it('says the cost in words with the number', () => {
    expect(costInWords('very close', 0.0812)).toBe('very close (0.08)')
  })
})
