import { describe, expect, it } from 'vitest'
import { arrowShape, bendControl, distance, linePath, quadraticAt, trimSegment } from '../../../src/renderer/lib/geometry/curves.js'

const pointsOf = (polygon: string) => polygon.split(' ').map((p) => p.split(',').map(Number))

describe('arrow and curve geometry', () => {
  it('trims a segment at both ends, collapsing when the trims exceed it', () => {
    expect(trimSegment({ x: 0, y: 0 }, { x: 10, y: 0 }, 2, 3)).toEqual([
      { x: 2, y: 0 },
      { x: 7, y: 0 },
    ])
    expect(trimSegment({ x: 0, y: 0 }, { x: 4, y: 0 }, 3, 3)).toEqual([
      { x: 2, y: 0 },
      { x: 2, y: 0 },
    ])
  })

  it('bows a -> b and b -> a to opposite sides so two directed edges never overlap', () => {
    const a = { x: 0, y: 0 }
    const b = { x: 100, y: 0 }
    const ab = bendControl(a, b, 0.2)
    const ba = bendControl(b, a, 0.2)
    // Travelling right in y-down space, left is up (negative y).
    expect(ab).toEqual({ x: 50, y: -20 })
    expect(ba).toEqual({ x: 50, y: 20 })
    expect(quadraticAt(a, ab, b, 0.5)).toEqual({ x: 50, y: -10 })
    expect(quadraticAt(a, ab, b, 0)).toEqual(a)
  })

  it('ends an arrow at the target with a head along the end tangent, shaft stopping at its base', () => {
    const shape = arrowShape({ x: 0, y: 0 }, { x: 100, y: 0 }, { trimStart: 10, trimEnd: 10, headLength: 8, headWidth: 6 })
    expect(shape.d).toBe('M10,0 Q50,0 82,0')
    const [tip, left, right] = pointsOf(shape.head)
    expect(tip).toEqual([90, 0])
    expect(left).toEqual([82, -3])
    expect(right).toEqual([82, 3])
    expect(shape.mid).toEqual({ x: 50, y: 0 })

    // A bent arrow's head points along the curve's end tangent (from the control point to the tip).
    const bent = arrowShape({ x: 0, y: 0 }, { x: 100, y: 0 }, { bend: 0.25, headLength: 10 })
    const [[tx, ty], [lx, ly], [rx, ry]] = pointsOf(bent.head)
    const base = { x: (lx + rx) / 2, y: (ly + ry) / 2 }
    const control = bendControl({ x: 0, y: 0 }, { x: 100, y: 0 }, 0.25)
    const along = { x: tx - control.x, y: ty - control.y }
    const head = { x: tx - base.x, y: ty - base.y }
    // sin of the angle between the head and the tangent (points are rounded to 0.01).
    expect(Math.abs(along.x * head.y - along.y * head.x) / (Math.hypot(along.x, along.y) * Math.hypot(head.x, head.y))).toBeLessThan(0.01)
    expect(distance(base, { x: tx, y: ty })).toBeCloseTo(10, 1)
  })

  it('draws no head when asked for none and writes straight lines', () => {
    expect(arrowShape({ x: 0, y: 0 }, { x: 10, y: 10 }).head).toBe('')
    expect(linePath({ x: 1.234, y: 2 }, { x: 3, y: 4.5678 })).toBe('M1.23,2 L3,4.57')
  })
})
