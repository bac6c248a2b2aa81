/**
 * What an export writes of a photo: its label states and boxes. Ground-truth formats (COCO, YOLO,
 * VOC) take what people decided — human labels and human boxes — or, with `includeModel`, the
 * effective labels (human over model) and the detector boxes at or above the node threshold too.
 * CSV and JSONL take everything, each row with its state and source.
 */
import { NODE_THRESHOLD } from '../analysis/analyze-photo.js'
import type { Vocabulary } from '../annotation/vocabulary.js'
import type { LabelOrigin } from '../store/annotation-types.js'
import type { StoredBox } from '../store/annotation-repository.js'
import type { LabelSource, LabelState } from '../store/types.js'
import type { ExportPhoto } from './library-pages.js'

/** One class of a photo as exported. */
export interface ExportLabel {
  classId: number
  name: string
  /** The effective state (human over model). */
  state: LabelState
  source: LabelSource
  origin: LabelOrigin | null
  /** The model's confidence, null without a model row. */
  confidence: number | null
  /** The model's state, null without a model row. */
  modelState: LabelState | null
}

/** A photo's exported labels and boxes. */
export interface ExportContent {
  labels: ExportLabel[]
  boxes: (StoredBox & { name: string })[]
}

/** The effective label of every class with a row. */
export function effectiveLabels(p: ExportPhoto, vocabulary: Vocabulary): ExportLabel[] {
  const byClass = new Map<number, ExportLabel>()
  for (const r of p.labels) {
    const l = byClass.get(r.classId) ?? { classId: r.classId, name: vocabulary.name(r.classId), state: r.state, source: r.source, origin: null, confidence: null, modelState: null }
    if (r.source === 'human') Object.assign(l, { state: r.state, source: 'human', origin: r.origin ?? 'hand' })
    else {
      Object.assign(l, { confidence: r.confidence, modelState: r.state })
      if (l.source !== 'human') l.state = r.state
    }
    byClass.set(r.classId, l)
  }
  return [...byClass.values()]
}

/** Whether a person labelled or boxed anything in the photo. */
export const isAnnotated = (p: ExportPhoto): boolean => p.labels.some((l) => l.source === 'human') || p.boxes.some((b) => b.source === 'human')

/** What a ground-truth format writes of a photo (see the file comment). */
export function groundTruthContent(p: ExportPhoto, vocabulary: Vocabulary, includeModel: boolean): ExportContent {
  const labels = effectiveLabels(p, vocabulary).filter((l) => includeModel || l.source === 'human')
  const boxes = p.boxes.filter((b) => b.source === 'human' || (includeModel && (b.score ?? 0) >= NODE_THRESHOLD))
  return { labels, boxes: boxes.map((b) => ({ ...b, name: vocabulary.name(b.classId) })) }
}

/** What CSV and JSONL write of a photo: every label row's effective state and every box. */
export function fullContent(p: ExportPhoto, vocabulary: Vocabulary): ExportContent {
  return { labels: effectiveLabels(p, vocabulary), boxes: p.boxes.map((b) => ({ ...b, name: vocabulary.name(b.classId) })) }
}
