/**
 * What every reader of a ground-truth format produces: one record per image of the file, with
 * class names as the file spells them (mapped to the vocabulary on import) and boxes in pixels
 * (or, for YOLO, normalised to the image and converted once the photo's size is known).
 */
import type { Box } from '../store/types.js'
import type { LabelState } from '../store/types.js'

/** Formats of import and export. */
export type InterchangeFormat = 'coco' | 'yolo' | 'voc' | 'csv' | 'jsonl'

/** Every format, for usage lines. */
export const FORMATS: readonly InterchangeFormat[] = ['coco', 'yolo', 'voc', 'csv', 'jsonl']

/** One box of a record. */
export interface GroundTruthBox {
  name: string
  /** [x1, y1, x2, y2]: pixels, or fractions of the image when `normalized`. */
  box: Box
  normalized?: boolean
  /** Where in the file (for messages). */
  where: string
}

/** One image of a ground-truth file. */
export interface GroundTruthRecord {
  /** Where in the file (for messages): "images[3]", "labels/a.txt", "line 7". */
  where: string
  /** The image's file as the format names it: a relative path or a file name. */
  file: string
  /** True when `file` has no extension (YOLO names a photo by its stem). */
  stemOnly?: boolean
  /** An absolute path, when the format records one. */
  path?: string
  width?: number
  height?: number
  /**
   * Image-level label states. Box classes are positive whether listed or not. `explicit` records
   * (CSV, JSONL, Constella's COCO) give every state they know; others only positives.
   */
  labels: { name: string; state: LabelState }[]
  explicit?: boolean
  boxes: GroundTruthBox[]
}

/** A parsed ground-truth file (or folder). */
export interface GroundTruthSource {
  format: InterchangeFormat
  /** The files read. */
  files: string[]
  /** Class names the dataset declares (COCO categories, YOLO names); null when it declares none (VOC). */
  declared: string[] | null
  records: GroundTruthRecord[]
  /** Rows or entries that were read but are not ground truth (e.g. model labels of a CSV export). */
  notGroundTruth: number
}
