import { describe, expect, it } from 'vitest'
import type { GraphNodeView } from '../../../src/shared/api-types.js'
import {
  adjacencyEdges,
  attendsTo,
  attentionEdges,
  attentionMatrix,
  edgeStyle,
  meanOverHeads,
  nodeObjectIndex,
  objectAttention,
} from '../../../src/renderer/lib/geometry/graph-edges.js'

const node = (objectId: number): GraphNodeView => ({ kind: 'object', objectId, classId: 0, className: 'x', box: [0, 0, 1, 1], score: 0.9 })

// Photo node, then four detections; detections 11 and 12 are one physical object (dog / cat on one box).
const nodes: GraphNodeView[] = [{ kind: 'photo' }, node(10), node(11), node(12), node(13)]
const objects = [
  { id: 10, memberIds: [10] },
  { id: 11, memberIds: [11, 12] },
  { id: 13, memberIds: [13] },
]

describe('graph overlays', () => {
  it('maps graph nodes onto objects (several detections of one box are one object)', () => {
    expect(nodeObjectIndex(nodes, objects)).toEqual([-1, 0, 1, 1, 2])
    expect(nodeObjectIndex([{ kind: 'photo' }, node(99)], objects)).toEqual([-1, -1])
  })

  it('draws one undirected OT edge per object pair above the threshold, weakest first', () => {
    const A = [
      [1, 0.9, 0.9, 0.9, 0.9],
      [0.9, 1, 0.5, 0.1, 0.15],
      [0.9, 0.5, 1, 0.95, 0.7],
      [0.9, 0.1, 0.95, 1, 0.3],
      [0.9, 0.15, 0.7, 0.3, 1],
    ]
    const map = nodeObjectIndex(nodes, objects)
    // Photo node and the pair inside object 1 (nodes 2-3) are left out; object pair (1,2) keeps max(0.7, 0.3).
    expect(adjacencyEdges(A, map, { minWeight: 0.2 })).toEqual([
      { from: 0, to: 1, weight: 0.5 },
      { from: 1, to: 2, weight: 0.7 },
    ])
    expect(adjacencyEdges(A, map, { minWeight: 0.2, visible: new Set([0, 2]) })).toEqual([])
    expect(adjacencyEdges(A, map, { minWeight: 0 }).map((e) => [e.from, e.to])).toEqual([
      [0, 2],
      [0, 1],
      [1, 2],
    ])
  })

  it('averages attention over heads and picks one head', () => {
    const layer = [
      [
        [1, 0],
        [0.5, 0.5],
      ],
      [
        [0, 1],
        [0.1, 0.9],
      ],
    ]
    expect(meanOverHeads(layer)).toEqual([
      [0.5, 0.5],
      [0.3, 0.7],
    ])
    expect(attentionMatrix([layer], 0, 1)).toEqual(layer[1])
    expect(attentionMatrix([layer], 0, 'mean')).toEqual(meanOverHeads(layer))
    expect(attentionMatrix([layer], 3, 'mean')).toEqual([])
  })

  it('collapses node attention onto objects with rows still summing to 1', () => {
    const alpha = [
      [0.2, 0.2, 0.2, 0.2, 0.2],
      [0.1, 0.5, 0.2, 0.1, 0.1],
      [0.4, 0.2, 0.2, 0.0, 0.2],
      [0.0, 0.6, 0.0, 0.4, 0.0],
      [0.25, 0.25, 0.25, 0.25, 0.0],
    ]
    const att = objectAttention(alpha, nodeObjectIndex(nodes, objects), 3)
    // Object 1 = mean of node rows 2 and 3: to object 0 (0.2+0.6)/2, to itself (0.2+0+0+0.4)/2, to object 2 (0.2+0)/2.
    expect(att.objects[1][0]).toBeCloseTo(0.4)
    expect(att.objects[1][1]).toBeCloseTo(0.3)
    expect(att.objects[1][2]).toBeCloseTo(0.1)
    expect(att.toPhoto[1]).toBeCloseTo(0.2)
    att.objects.forEach((row, a) => expect(row.reduce((s, w) => s + w, 0) + att.toPhoto[a]).toBeCloseTo(1))
    expect(att.fromPhoto).toEqual([0.2, 0.4, 0.2])

    // Edges i -> j between different objects, strongest last; from one object only when selected.
    const edges = attentionEdges(att, { minWeight: 0.2 })
    expect(edges.map((e) => [e.from, e.to, e.weight])).toEqual([
      [2, 0, 0.25],
      [0, 1, expect.closeTo(0.3)],
      [1, 0, expect.closeTo(0.4)],
      [2, 1, 0.5],
    ])
    expect(attentionEdges(att, { minWeight: 0, from: 2 }).every((e) => e.from === 2)).toBe(true)
    expect(attendsTo(att, 1).map((t) => t.target)).toEqual([0, 1, 'photo', 2])
  })

  it('maps weights to stroke width and opacity on a scale', () => {
    expect(edgeStyle(0.2, 0.2, 1)).toEqual({ width: 1, opacity: 0.3 })
    expect(edgeStyle(1, 0.2, 1)).toEqual({ width: 6, opacity: 0.95 })
    expect(edgeStyle(5, 0.2, 1).width).toBe(6)
    expect(edgeStyle(0.5, 0.5, 0.5).width).toBe(6)
  })
})
