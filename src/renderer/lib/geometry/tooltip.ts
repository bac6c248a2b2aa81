/**
 * Where a tooltip about a box goes inside the photo frame: beside the box (right, else left)
 * when it fits there, else inside the box's right edge; always clamped inside the frame.
 */
import type { Box } from '../../../shared/domain.js'

/** A tooltip's top-left corner in frame pixels. */
export interface TipPlace {
  left: number
  top: number
}

/**
 * Places a `tipW x tipH` tooltip next to `box` (frame pixels) in a `frameW x frameH` frame,
 * `gap` pixels from the box; the tooltip never leaves the frame unless it is larger than the frame
 * (then it starts at the frame's top-left corner).
 */
export function placeTip(box: Box, tipW: number, tipH: number, frameW: number, frameH: number, gap = 8): TipPlace {
  const [x1, y1, x2] = box
  const clamp = (v: number, max: number): number => Math.max(0, Math.min(v, max))
  let left: number
  if (x2 + gap + tipW <= frameW) left = x2 + gap
  else if (x1 - gap - tipW >= 0) left = x1 - gap - tipW
  else left = x2 - gap - tipW
  return { left: clamp(left, frameW - tipW), top: clamp(y1, frameH - tipH) }
}
