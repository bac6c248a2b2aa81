/**
 * Score thresholding and greedy non-maximum suppression over detections, per class by default
 * (a person box never suppresses an overlapping bicycle box), and the merge of same-place
 * detections of different classes into one physical object ({@link mergeAcrossClasses}).
 */
import type { Box } from '../../../shared/domain.js'

/** What NMS needs of a detection; any extra fields are kept. */
export interface ScoredBox {
  box: Box
  score: number
  classId: number
}

/** Options of `nms`. */
export interface NmsOptions {
  /** Boxes overlapping a kept box of the same class by more than this IoU are dropped. Default 0.5. */
  iouThreshold?: number
  /** Boxes scoring below this are dropped before suppression. Default 0. */
  scoreThreshold?: number
  /** Suppress across classes too (class-agnostic). Default false. */
  agnostic?: boolean
  /** Keep at most this many boxes (highest scores first). Default: all. */
  maxDetections?: number
}

/** Area of a box; 0 for degenerate boxes. */
export function boxArea(b: Box): number {
  return Math.max(0, b[2] - b[0]) * Math.max(0, b[3] - b[1])
}

/** Intersection over union of two boxes, 0 when either is empty. */
export function iou(a: Box, b: Box): number {
  const iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0])
  const ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1])
  if (iw <= 0 || ih <= 0) return 0
  const inter = iw * ih
  const union = boxArea(a) + boxArea(b) - inter
  return union > 0 ? inter / union : 0
}

/**
 * Drops boxes under `scoreThreshold` (and NaN scores), then greedily keeps the highest-scoring box
 * and removes same-class boxes whose IoU with it exceeds `iouThreshold`. Returns the kept boxes,
 * highest score first (ties keep input order).
 */
export function nms<T extends ScoredBox>(boxes: readonly T[], options: NmsOptions = {}): T[] {
  const iouThreshold = options.iouThreshold ?? 0.5
  const scoreThreshold = options.scoreThreshold ?? 0
  const maxDetections = options.maxDetections ?? Infinity
  const candidates = boxes
    .map((b, index) => ({ b, index }))
    .filter(({ b }) => b.score >= scoreThreshold && !Number.isNaN(b.score))
    .sort((x, y) => y.b.score - x.b.score || x.index - y.index)
  const kept: T[] = []
  const suppressed = new Uint8Array(candidates.length)
  for (let i = 0; i < candidates.length && kept.length < maxDetections; i++) {
    if (suppressed[i]) continue
    const best = candidates[i].b
    kept.push(best)
    for (let j = i + 1; j < candidates.length; j++) {
      if (suppressed[j]) continue
      const other = candidates[j].b
      if (!options.agnostic && other.classId !== best.classId) continue
      if (iou(best.box, other.box) > iouThreshold) suppressed[j] = 1
    }
  }
  return kept
}

/** One physical object: the best detection at a place and every detection merged into it. */
export interface MergedBox<T extends ScoredBox> {
  /** The highest-scoring detection: the object's box, class and score. */
  lead: T
  /** `lead` first, then the other classes' detections at the same place, by descending score. */
  members: T[]
}

/**
 * Merges detections of different classes at the same place into one object each (CenterNet puts
 * several class hypotheses on one box: horse 0.30, sheep 0.40, cow 0.38 are one animal). Greedy,
 * best first: the highest-scoring detection not yet taken leads a new object and takes every
 * untaken detection of another class whose IoU with it is at least `iouThreshold` (default 0.5).
 * Same-class detections are never merged (NMS decides about those). Returns the objects by
 * descending lead score (ties keep input order); every input box is in exactly one object.
 */
export function mergeAcrossClasses<T extends ScoredBox>(boxes: readonly T[], options: { iouThreshold?: number } = {}): MergedBox<T>[] {
  const iouThreshold = options.iouThreshold ?? 0.5
  const order = boxes.map((b, index) => ({ b, index })).sort((x, y) => y.b.score - x.b.score || x.index - y.index).map(({ b }) => b)
  const taken = new Uint8Array(order.length)
  const merged: MergedBox<T>[] = []
  for (let i = 0; i < order.length; i++) {
    if (taken[i]) continue
    const lead = order[i]
    const members = [lead]
    for (let j = i + 1; j < order.length; j++) {
      if (taken[j] || order[j].classId === lead.classId || iou(lead.box, order[j].box) < iouThreshold) continue
      taken[j] = 1
      members.push(order[j])
    }
    merged.push({ lead, members })
  }
  return merged
}
