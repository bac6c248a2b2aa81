import { describe, expect, it } from 'vitest'
import type { Box } from '../../../../src/shared/domain.js'
import { iou, mergeAcrossClasses, nms } from '../../../../src/main/engine/pipeline/nms.js'

const det = (id: string, box: Box, score: number, classId: number) => ({ id, box, score, classId })

describe('iou', () => {
  it('computes intersection over union of hand-made boxes', () => {
    expect(iou([0, 0, 10, 10], [0, 0, 10, 10])).toBe(1)
    expect(iou([0, 0, 10, 10], [5, 0, 15, 10])).toBeCloseTo(50 / 150, 12)
    expect(iou([0, 0, 10, 10], [2, 2, 4, 4])).toBeCloseTo(4 / 100, 12)
    expect(iou([0, 0, 10, 10], [10, 0, 20, 10])).toBe(0) // touching edges
    expect(iou([0, 0, 10, 10], [20, 20, 30, 30])).toBe(0)
    expect(iou([5, 5, 5, 9], [0, 0, 10, 10])).toBe(0) // zero-width box
  })
})

describe('nms', () => {
  const boxes = [
    det('a', [0, 0, 100, 100], 0.9, 0),
    det('a-dup', [5, 5, 105, 105], 0.8, 0), // IoU with a = 9025 / 10975 = 0.82
    det('a-other-class', [0, 0, 100, 100], 0.7, 1), // same place, another class: kept
    det('a-neighbour', [50, 0, 150, 100], 0.6, 0), // IoU with a = 1/3: kept at 0.5
    det('low', [300, 300, 350, 350], 0.1, 0),
    det('far', [400, 0, 450, 40], 0.3, 2),
  ]

  it('suppresses same-class overlaps, keeps other classes, sorts by score', () => {
    expect(nms(boxes, { scoreThreshold: 0.25 }).map((d) => d.id)).toEqual(['a', 'a-other-class', 'a-neighbour', 'far'])
  })

  it('applies the IoU threshold strictly (suppress when IoU > threshold)', () => {
    expect(nms(boxes, { iouThreshold: 0.3, scoreThreshold: 0.25 }).map((d) => d.id)).toEqual(['a', 'a-other-class', 'far'])
    expect(nms(boxes, { iouThreshold: 0.85 }).map((d) => d.id)).toEqual(['a', 'a-dup', 'a-other-class', 'a-neighbour', 'far', 'low'])
  })

  it('can suppress across classes and cap the count', () => {
    expect(nms(boxes, { agnostic: true }).map((d) => d.id)).toEqual(['a', 'a-neighbour', 'far', 'low'])
    expect(nms(boxes, { maxDetections: 2 }).map((d) => d.id)).toEqual(['a', 'a-other-class'])
  })

  it('drops NaN scores, keeps input order on ties and does not mutate its input', () => {
    const input = [det('x', [0, 0, 1, 1], Number.NaN, 0), det('p', [0, 0, 10, 10], 0.5, 0), det('q', [20, 0, 30, 10], 0.5, 0)]
    const copy = structuredClone(input)
    expect(nms(input).map((d) => d.id)).toEqual(['p', 'q'])
    expect(input).toEqual(copy)
  })

  it('suppresses chains greedily: a suppressed box does not suppress others', () => {
    // b overlaps a and c; a and c do not overlap: a wins, b goes, c stays.
    const chain = [det('a', [0, 0, 10, 10], 0.9, 0), det('b', [4, 0, 14, 10], 0.8, 0), det('c', [8, 0, 18, 10], 0.7, 0)]
    expect(nms(chain, { iouThreshold: 0.4 }).map((d) => d.id)).toEqual(['a', 'c'])
  })
})

describe('mergeAcrossClasses', () => {
  const ids = (groups: { lead: { id: string }; members: { id: string }[] }[]) => groups.map((g) => g.members.map((m) => m.id))

  it('makes one object of the class hypotheses on one box, led by the best, and leaves other places alone', () => {
    const animal = [
      det('cow', [0, 0, 100, 100], 0.38, 19),
      det('horse', [0, 0, 100, 100], 0.3, 17),
      det('sheep', [2, 0, 100, 100], 0.4, 18),
      det('person', [300, 0, 340, 90], 0.9, 0),
    ]
    const groups = mergeAcrossClasses(animal)
    expect(ids(groups)).toEqual([['person'], ['sheep', 'cow', 'horse']])
    expect(groups[1].lead.id).toBe('sheep')
  })

  it('merges at IoU >= the threshold only, never the same class, and takes each box once', () => {
    const boxes = [
      det('a', [0, 0, 100, 100], 0.9, 0),
      det('a-same-class', [0, 0, 100, 100], 0.8, 0), // same class: NMS's business, not merged
      det('b-half', [0, 0, 100, 50], 0.7, 1), // IoU with a = 0.5 exactly: merged at 0.5
      det('c-third', [50, 0, 150, 100], 0.6, 2), // IoU with a = 1/3: its own object
      det('d', [50, 0, 150, 100], 0.5, 3), // same place as c-third: joins it
    ]
    expect(ids(mergeAcrossClasses(boxes))).toEqual([['a', 'b-half'], ['a-same-class'], ['c-third', 'd']])
    expect(ids(mergeAcrossClasses(boxes, { iouThreshold: 0.7 }))).toEqual([['a'], ['a-same-class'], ['b-half'], ['c-third', 'd']])
    const all = mergeAcrossClasses(boxes).flatMap((g) => g.members.map((m) => m.id)).sort()
    expect(all).toEqual(boxes.map((b) => b.id).sort())
  })

  it('merges into the lead only (not chains), keeps input order on ties and does not mutate its input', () => {
    // b overlaps a (0.67) and c (0.67); a and c overlap at 1/3: a takes b, c stays its own object
    const chain = [det('a', [0, 0, 10, 10], 0.9, 0), det('b', [2, 0, 12, 10], 0.8, 1), det('c', [5, 0, 15, 10], 0.7, 2)]
    const copy = structuredClone(chain)
    expect(ids(mergeAcrossClasses(chain))).toEqual([['a', 'b'], ['c']])
    expect(chain).toEqual(copy)
    const tie = [det('p', [0, 0, 10, 10], 0.5, 4), det('q', [0, 0, 10, 10], 0.5, 5)]
    expect(ids(mergeAcrossClasses(tie))).toEqual([['p', 'q']])
    expect(mergeAcrossClasses([])).toEqual([])
  })
})
