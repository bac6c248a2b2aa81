/**
 * Detections judged as an image-level multi-label classifier (the papers' protocol applied to a
 * detector): the score of class c in an image is the highest detection score of class c there
 * (0 when there is none), then mAP over classes and CP/CR/CF1/OP/OR/OF1 at score thresholds.
 */
import type { Detection } from '../../src/shared/domain.js'
import { averagePrecision, classificationMetrics, type ClassificationMetrics } from '../../src/shared/metrics/classification.js'

/** Per-class image scores: `scores[c]` = max score of the detections of class c (0 if none). */
export function imageClassScores(detections: readonly Detection[], numClasses: number): Float32Array {
  const scores = new Float32Array(numClasses)
  for (const d of detections) if (d.classId >= 0 && d.classId < numClasses && d.score > scores[d.classId]) scores[d.classId] = d.score
  return scores
}

/** Whether the highest-scoring detection names a ground-truth class of the image (false without detections). */
export function topDetectionIsTrue(detections: readonly Detection[], labels: readonly number[]): boolean {
  let best: Detection | undefined
  for (const d of detections) if (!best || d.score > best.score) best = d
  return best !== undefined && labels.includes(best.classId)
}

/** One class's figures over the evaluated images. */
export interface ClassQuality {
  classId: number
  name: string
  /** Images where the class is in the ground truth. */
  positives: number
  /** Average precision (%) of the image ranking by class score. */
  ap: number
  /** Positive images with a detection of the class at or above each threshold, by threshold. */
  found: Record<string, number>
  /** Images (any) with a detection of the class at or above each threshold, by threshold. */
  predicted: Record<string, number>
}

/** The image-level evaluation of one detector configuration. */
export interface ImageLevelQuality {
  images: number
  /** Classes with at least one positive image: the ones mAP and the C* averages are over. */
  classesCounted: number
  mAP: number
  /** CP/CR/CF1/OP/OR/OF1 (and mAP again) at each threshold, keyed by the threshold as written. */
  atThreshold: Record<string, ClassificationMetrics>
  /** Images whose top detection is a ground-truth class. */
  topDetectionHits: number
  perClass: ClassQuality[]
}

/** Evaluates per-image class scores against ground-truth labels at the given thresholds. */
export function imageLevelQuality(
  scores: Float32Array[],
  labels: number[][],
  topHits: number,
  classNames: readonly string[],
  thresholds: readonly number[],
): ImageLevelQuality {
  const numClasses = classNames.length
  const atThreshold: Record<string, ClassificationMetrics> = {}
  for (const t of thresholds) atThreshold[String(t)] = classificationMetrics(scores, labels, numClasses, t)
  const perClass: ClassQuality[] = []
  for (let c = 0; c < numClasses; c++) {
    const relevant = labels.map((l) => l.includes(c))
    const positives = relevant.filter(Boolean).length
    if (positives === 0) continue
    const column = scores.map((s) => s[c])
    const found: Record<string, number> = {}
    const predicted: Record<string, number> = {}
    for (const t of thresholds) {
      found[String(t)] = column.filter((v, i) => relevant[i] && v >= t).length
      predicted[String(t)] = column.filter((v) => v >= t).length
    }
    perClass.push({ classId: c, name: classNames[c], positives, ap: 100 * averagePrecision(column, relevant), found, predicted })
  }
  const first = atThreshold[String(thresholds[0])]
  return { images: scores.length, classesCounted: perClass.length, mAP: first.mAP, atThreshold, topDetectionHits: topHits, perClass }
}

/** Classification mAP (%) over the classes with a positive among the given image indices. */
function mapOver(scores: Float32Array[], labels: number[][], numClasses: number, idx: number[]): number {
  let sum = 0
  let count = 0
  for (let c = 0; c < numClasses; c++) {
    const relevant = idx.map((i) => labels[i].includes(c))
    if (!relevant.includes(true)) continue
    sum += averagePrecision(idx.map((i) => scores[i][c]), relevant)
    count++
  }
  return (100 * sum) / count
}

/**
 * Paired bootstrap over images of the mAP difference A - B (same resampled images for both):
 * the 2.5% and 97.5% quantiles. Deterministic (seeded), so reruns print the same interval.
 */
export function bootstrapMAPDifference(
  a: Float32Array[],
  b: Float32Array[],
  labels: number[][],
  numClasses: number,
  resamples = 500,
  seed = 1,
): { lo: number; hi: number; resamples: number } {
  let state = seed >>> 0
  const random = (): number => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const n = labels.length
  const diffs: number[] = []
  for (let r = 0; r < resamples; r++) {
    const idx = Array.from({ length: n }, () => Math.floor(random() * n))
    diffs.push(mapOver(a, labels, numClasses, idx) - mapOver(b, labels, numClasses, idx))
  }
  diffs.sort((x, y) => x - y)
  return { lo: diffs[Math.floor(0.025 * resamples)], hi: diffs[Math.ceil(0.975 * resamples) - 1], resamples }
}
