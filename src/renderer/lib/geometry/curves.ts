/**
 * Arrow and curve geometry for graph edges drawn in SVG: quadratic curves that bow to the left of
 * their direction (so a -> b and b -> a never overlap), trimmed ends, and arrowheads.
 */
import type { Point } from './boxes.js'

/** Distance between two points. */
export function distance(a: Point, b: Point): number {
  return Math.hypot(b.x - a.x, b.y - a.y)
}

/** The segment a-b shortened by `startTrim` at a and `endTrim` at b (collapses to its midpoint if too short). */
export function trimSegment(a: Point, b: Point, startTrim: number, endTrim: number): [Point, Point] {
  const len = distance(a, b)
  if (len === 0 || startTrim + endTrim >= len) {
    const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }
    return [mid, mid]
  }
  const ux = (b.x - a.x) / len
  const uy = (b.y - a.y) / len
  return [
    { x: a.x + ux * startTrim, y: a.y + uy * startTrim },
    { x: b.x - ux * endTrim, y: b.y - uy * endTrim },
  ]
}

/**
 * Control point of a quadratic curve from a to b bowed by `bend` x its length to the left of the
 * direction a -> b (in SVG's y-down space, "left" is the side a driver going a -> b has on the left).
 */
export function bendControl(a: Point, b: Point, bend: number): Point {
  const mx = (a.x + b.x) / 2
  const my = (a.y + b.y) / 2
  // Perpendicular (dy, -dx) points left of travel in y-down coordinates.
  return { x: mx + (b.y - a.y) * bend, y: my - (b.x - a.x) * bend }
}

/** A point of the quadratic curve a-c-b at parameter t. */
export function quadraticAt(a: Point, c: Point, b: Point, t: number): Point {
  const u = 1 - t
  return { x: u * u * a.x + 2 * u * t * c.x + t * t * b.x, y: u * u * a.y + 2 * u * t * c.y + t * t * b.y }
}

/** An arrow ready to draw: the curve's path, the arrowhead polygon, and where its label goes. */
export interface ArrowShape {
  /** SVG path data of the shaft. */
  d: string
  /** SVG polygon points of the head ("x,y x,y x,y"); empty without a head. */
  head: string
  /** Midpoint of the curve (for a weight label). */
  mid: Point
}

/** Options of {@link arrowShape}; lengths in the drawing's units. */
export interface ArrowOptions {
  bend?: number
  trimStart?: number
  trimEnd?: number
  headLength?: number
  headWidth?: number
}

const r = (v: number): number => Math.round(v * 100) / 100

/**
 * An arrow from `from` to `to`: trimmed at both ends, bowed by `bend`, with a head at `to` whose
 * direction follows the curve's end tangent. The shaft stops at the head's base.
 */
export function arrowShape(from: Point, to: Point, options: ArrowOptions = {}): ArrowShape {
  const { bend = 0, trimStart = 0, trimEnd = 0, headLength = 0, headWidth = headLength * 0.8 } = options
  const [a, b] = trimSegment(from, to, trimStart, trimEnd)
  const c = bendControl(a, b, bend)
  const mid = quadraticAt(a, c, b, 0.5)
  const tx = b.x - c.x
  const ty = b.y - c.y
  const tl = Math.hypot(tx, ty)
  if (headLength <= 0 || tl === 0) {
    return { d: `M${r(a.x)},${r(a.y)} Q${r(c.x)},${r(c.y)} ${r(b.x)},${r(b.y)}`, head: '', mid }
  }
  const ux = tx / tl
  const uy = ty / tl
  const base = { x: b.x - ux * headLength, y: b.y - uy * headLength }
  const half = headWidth / 2
  const left = { x: base.x + uy * half, y: base.y - ux * half }
  const right = { x: base.x - uy * half, y: base.y + ux * half }
  // The shaft ends at the head's base: pull the control point along so the curve stays smooth.
  const d = `M${r(a.x)},${r(a.y)} Q${r(c.x)},${r(c.y)} ${r(base.x)},${r(base.y)}`
  return { d, head: `${r(b.x)},${r(b.y)} ${r(left.x)},${r(left.y)} ${r(right.x)},${r(right.y)}`, mid }
}

/** A straight line's path data. */
export function linePath(a: Point, b: Point): string {
  return `M${r(a.x)},${r(a.y)} L${r(b.x)},${r(b.y)}`
}
