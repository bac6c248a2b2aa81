/**
 * Domain types shared by the engine and the renderer. Pure TypeScript: no `node:` or electron
 * imports, so both sides (and the browser build) can use them.
 */

/** An axis-aligned box `[x1, y1, x2, y2]` in pixels of some image (x2 >= x1, y2 >= y1). */
export type Box = [x1: number, y1: number, x2: number, y2: number]

/** One object found in a photo by a detector. */
export interface Detection {
  /** The box in pixels of the original (EXIF-oriented) photo, clamped to its bounds. */
  box: Box
  /** Detector confidence, 0..1. */
  score: number
  /** Index into the detector's class list (COCO: 0..79). */
  classId: number
  /** The class name, e.g. "person". */
  className: string
}
