/**
 * Box editing in photo pixels: the eight handles of a box, moving and resizing by a drag (kept
 * inside the photo, never smaller than a minimum), drawing a new box, and which classes the digit
 * keys pick. Pure functions: the editor turns pointer positions into photo pixels (through any
 * zoom) and these say what the box becomes.
 */
import type { Box } from '../../../shared/domain.js'
import type { Point } from './boxes.js'

/** A resize handle: a corner or the middle of a side (compass direction). */
export type Handle = 'nw' | 'n' | 'ne' | 'e' | 'se' | 's' | 'sw' | 'w'

/** The eight handles, clockwise from the top-left corner. */
export const HANDLES: readonly Handle[] = ['nw', 'n', 'ne', 'e', 'se', 's', 'sw', 'w']

/** The smallest box side a drag leaves (photo pixels). */
export const MIN_BOX_SIDE = 4

/** Where a handle sits on a box. */
export function handlePoint(box: Box, handle: Handle): Point {
  const [x1, y1, x2, y2] = box
  const x = handle.includes('w') ? x1 : handle.includes('e') ? x2 : (x1 + x2) / 2
  const y = handle.includes('n') ? y1 : handle.includes('s') ? y2 : (y1 + y2) / 2
  return { x, y }
}

/** The CSS cursor of a handle. */
export function handleCursor(handle: Handle): string {
  return handle === 'n' || handle === 's' ? 'ns-resize' : handle === 'e' || handle === 'w' ? 'ew-resize' : handle === 'nw' || handle === 'se' ? 'nwse-resize' : 'nesw-resize'
}

/** The handle of `box` within `radius` of `point` (the nearest), or null. */
export function handleAt(box: Box, point: Point, radius: number): Handle | null {
  let best: Handle | null = null
  let bestDistance = radius
  for (const h of HANDLES) {
    const p = handlePoint(box, h)
    const d = Math.hypot(p.x - point.x, p.y - point.y)
    if (d < bestDistance || (best === null && d === radius)) {
      best = h
      bestDistance = d
    }
  }
  return best
}

/** True when `point` is inside `box` (edges included). */
export function insideBox(box: Box, point: Point): boolean {
  return point.x >= box[0] && point.x <= box[2] && point.y >= box[1] && point.y <= box[3]
}

/** `box` moved by `(dx, dy)`, stopped at the photo's edges (its size never changes). */
export function moveBox(box: Box, dx: number, dy: number, width: number, height: number): Box {
  const w = box[2] - box[0]
  const h = box[3] - box[1]
  const x1 = Math.max(0, Math.min(width - w, box[0] + dx))
  const y1 = Math.max(0, Math.min(height - h, box[1] + dy))
  return [x1, y1, x1 + w, y1 + h]
}

/**
 * `box` with the edges of `handle` dragged by `(dx, dy)`: the dragged edges stay inside the photo
 * and at least `minSide` from the opposite edge (a drag past it stops there, it never flips).
 */
export function resizeBox(box: Box, handle: Handle, dx: number, dy: number, width: number, height: number, minSide = MIN_BOX_SIDE): Box {
  let [x1, y1, x2, y2] = box
  if (handle.includes('w')) x1 = Math.max(0, Math.min(x2 - minSide, x1 + dx))
  if (handle.includes('e')) x2 = Math.min(width, Math.max(x1 + minSide, x2 + dx))
  if (handle.includes('n')) y1 = Math.max(0, Math.min(y2 - minSide, y1 + dy))
  if (handle.includes('s')) y2 = Math.min(height, Math.max(y1 + minSide, y2 + dy))
  return [x1, y1, x2, y2]
}

/** A box drawn from corner `a` to corner `b` (either order), clamped to the photo. */
export function drawnBox(a: Point, b: Point, width: number, height: number): Box {
  const cx = (v: number): number => Math.max(0, Math.min(width, v))
  const cy = (v: number): number => Math.max(0, Math.min(height, v))
  return [cx(Math.min(a.x, b.x)), cy(Math.min(a.y, b.y)), cx(Math.max(a.x, b.x)), cy(Math.max(a.y, b.y))]
}

/** True when both sides of `box` are at least `minSide` (a click is not a box). */
export function isUsableBox(box: Box, minSide = MIN_BOX_SIDE): boolean {
  return box[2] - box[0] >= minSide && box[3] - box[1] >= minSide
}

/** A box rounded to tenths of a pixel (what is sent to the engine). */
export function roundBox(box: Box): Box {
  return box.map((v) => Math.round(v * 10) / 10) as Box
}

/** True when two boxes are the same to a tenth of a pixel. */
export function sameBox(a: Box, b: Box): boolean {
  return a.every((v, i) => Math.abs(v - b[i]) < 0.05)
}

/** A drag in progress on the photo (all points in photo pixels). */
export type BoxDrag =
  | { kind: 'move'; objectId: number; start: Point; box: Box }
  | { kind: 'resize'; objectId: number; handle: Handle; start: Point; box: Box }
  | { kind: 'draw'; start: Point }

/** The box a drag gives with the pointer at `point`. */
export function dragBox(drag: BoxDrag, point: Point, width: number, height: number): Box {
  if (drag.kind === 'draw') return drawnBox(drag.start, point, width, height)
  const dx = point.x - drag.start.x
  const dy = point.y - drag.start.y
  return drag.kind === 'move' ? moveBox(drag.box, dx, dy, width, height) : resizeBox(drag.box, drag.handle, dx, dy, width, height)
}

/**
 * The classes digits 1-9 pick: the classes used most recently first, then the photo's classes
 * (most boxes first), each once, at most `limit`.
 */
export function digitClasses(recent: readonly number[], photoClasses: readonly number[], limit = 9): number[] {
  const counts = new Map<number, number>()
  photoClasses.forEach((c) => counts.set(c, (counts.get(c) ?? 0) + 1))
  const byCount = [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || a - b)
  return [...new Set([...recent, ...byCount])].slice(0, limit)
}

/** `classId` moved to the front of a most-recently-used list (kept to `limit`). */
export function useClass(recent: readonly number[], classId: number, limit = 9): number[] {
  return [classId, ...recent.filter((c) => c !== classId)].slice(0, limit)
}
