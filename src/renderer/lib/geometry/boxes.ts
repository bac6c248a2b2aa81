/**
 * Box geometry for the overlays. Overlays are SVGs whose viewBox is the photo's own pixel size, so
 * a box `[x1, y1, x2, y2]` from the engine is drawn as is; these helpers place photos inside a
 * panel, keep labels readable at any zoom and pick which objects a confidence slider shows.
 */
import type { AnnotationBox, PhotoObject } from '../../../shared/api-contract.js'
import type { Box } from '../../../shared/domain.js'

/** A point in some pixel space. */
export interface Point {
  x: number
  y: number
}

/** Where a `width x height` image lands when fitted (contain) into a panel, and at what scale. */
export interface Placement {
  x: number
  y: number
  width: number
  height: number
  /** Panel pixels per image pixel. */
  scale: number
}

/** Fits an image into a panel keeping its aspect ratio (CSS `object-fit: contain`), centred. */
export function fitContain(imageW: number, imageH: number, panelW: number, panelH: number): Placement {
  if (imageW <= 0 || imageH <= 0 || panelW <= 0 || panelH <= 0) return { x: 0, y: 0, width: 0, height: 0, scale: 0 }
  const scale = Math.min(panelW / imageW, panelH / imageH)
  const width = imageW * scale
  const height = imageH * scale
  return { x: (panelW - width) / 2, y: (panelH - height) / 2, width, height, scale }
}

/** A box moved from image pixels into a placement's pixels. */
export function placeBox(box: Box, placement: Placement): Box {
  const { x, y, scale } = placement
  return [x + box[0] * scale, y + box[1] * scale, x + box[2] * scale, y + box[3] * scale]
}

/** A box of an image of size `fromW x fromH` in the pixels of the same image at `toW x toH`. */
export function scaleBox(box: Box, fromW: number, fromH: number, toW: number, toH: number): Box {
  const sx = fromW > 0 ? toW / fromW : 0
  const sy = fromH > 0 ? toH / fromH : 0
  return [box[0] * sx, box[1] * sy, box[2] * sx, box[3] * sy]
}

/** The centre of a box. */
export function boxCenter(box: Box): Point {
  return { x: (box[0] + box[2]) / 2, y: (box[1] + box[3]) / 2 }
}

/** Width and height of a box. */
export function boxSize(box: Box): { width: number; height: number } {
  return { width: Math.max(0, box[2] - box[0]), height: Math.max(0, box[3] - box[1]) }
}

/**
 * ViewBox units per screen pixel of an SVG drawn with `preserveAspectRatio="xMidYMid meet"`:
 * multiply a size in screen pixels by it to get the same size in viewBox units.
 */
export function unitsPerPixel(viewW: number, viewH: number, clientW: number, clientH: number): number {
  if (viewW <= 0 || viewH <= 0 || clientW <= 0 || clientH <= 0) return 1
  return 1 / Math.min(clientW / viewW, clientH / viewH)
}

/** Where a box's caption goes: above the box when it fits, else just inside its top edge. */
export interface LabelPlacement {
  x: number
  y: number
  /** True when the caption sits inside the box. */
  inside: boolean
}

/**
 * Places a caption of `labelW x labelH` (viewBox units) for `box` inside a `viewW x viewH` view:
 * above the top-left corner when there is room, else inside the box; never past the right edge.
 */
export function labelPlacement(box: Box, labelW: number, labelH: number, viewW: number, viewH: number): LabelPlacement {
  const inside = box[1] - labelH < 0
  const x = Math.max(0, Math.min(box[0], viewW - labelW))
  const y = inside ? Math.min(box[1], Math.max(0, viewH - labelH)) : box[1] - labelH
  return { x, y, inside }
}

/** Anything with a detector score (null for a box drawn by a person, always shown). */
export interface Scored {
  score: number | null
}

/** The objects a confidence slider at `threshold` shows: scores at or above it, and every human box. */
export function visibleByScore<T extends Scored>(objects: readonly T[], threshold: number): T[] {
  return objects.filter((o) => o.score === null || o.score >= threshold)
}

/** Rough caption width in viewBox units for `text` at `fontSize` (system UI fonts, no measuring). */
export function captionWidth(text: string, fontSize: number): number {
  return text.length * fontSize * 0.58 + fontSize * 0.8
}

/** Intersection over union of two boxes (0 when they do not overlap). */
export function iou(a: Box, b: Box): number {
  const ix = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]))
  const iy = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]))
  const inter = ix * iy
  const union = boxSize(a).width * boxSize(a).height + boxSize(b).width * boxSize(b).height - inter
  return union > 0 ? inter / union : 0
}

/** A box from two corner points in any order, clamped to `[0, w] x [0, h]`. */
export function boxFromPoints(a: Point, b: Point, w: number, h: number): Box {
  const clampX = (v: number) => Math.max(0, Math.min(w, v))
  const clampY = (v: number) => Math.max(0, Math.min(h, v))
  return [clampX(Math.min(a.x, b.x)), clampY(Math.min(a.y, b.y)), clampX(Math.max(a.x, b.x)), clampY(Math.max(a.y, b.y))]
}

/** A client (screen) point in an SVG's viewBox units, for an SVG drawn with `xMidYMid meet`. */
export function clientToView(point: Point, rect: { left: number; top: number; width: number; height: number }, viewW: number, viewH: number): Point {
  const place = fitContain(viewW, viewH, rect.width, rect.height)
  if (place.scale === 0) return { x: 0, y: 0 }
  return { x: (point.x - rect.left - place.x) / place.scale, y: (point.y - rect.top - place.y) / place.scale }
}

/**
 * Whether a photo's objects (grouped: each stands for its `memberIds`) are these stored boxes:
 * the same ids, and each object's box and class as its stored box has them.
 */
export function standsFor(objects: readonly PhotoObject[], boxes: readonly AnnotationBox[]): boolean {
  const stored = new Map(boxes.map((b) => [b.id, b]))
  const members = objects.flatMap((o) => o.memberIds)
  if (members.length !== stored.size || !members.every((id) => stored.has(id))) return false
  return objects.every((o) => {
    const b = stored.get(o.id)!
    return b.classId === o.classId && b.box.every((v, i) => Math.abs(v - o.box[i]) < 0.01)
  })
}
