/** What the workbench reads of annotation: a photo's label states and boxes, the review queue, the log. */
import type { AnnotationRepository } from '../store/annotation-repository.js'
import type { DetectorOriginal, HumanLabelSnapshot, LabelOrigin } from '../store/annotation-types.js'
import type { ReviewCursor, ReviewOrder, ReviewQueueItem } from '../store/review-queue-repository.js'
import { ReviewQueueRepository } from '../store/review-queue-repository.js'
import type { Box, LabelSource, LabelState, ObjectSource } from '../store/types.js'
import { AnnotationError } from './annotation-error.js'
import type { Vocabulary } from './vocabulary.js'

/** The state of one class of a photo: the effective one (human over model) and both rows. */
export interface LabelView {
  classId: number
  name: string
  state: LabelState
  source: LabelSource
  /** For a human label: set by hand, or following the boxes. */
  origin: LabelOrigin | null
  /** The model's confidence for the class (whatever the human said), null without a model row. */
  confidence: number | null
  human: (HumanLabelSnapshot & { updatedAt: number }) | null
  model: { state: LabelState; confidence: number | null; modelVersion: string | null } | null
}

/** One box of a photo. */
export interface BoxView {
  id: number
  box: Box
  classId: number
  name: string
  source: ObjectSource
  score: number | null
  modelVersion: string | null
  /** For a detector box a person edited: what the detector said. */
  detectorOriginal: DetectorOriginal | null
  createdAt: number
}

/** Everything annotation shows of one photo. */
export interface PhotoAnnotations {
  photoId: number
  path: string
  width: number | null
  height: number | null
  reviewedAt: number | null
  /** One per class with any label row, by class id. */
  labels: LabelView[]
  /** Every stored box, by id. */
  boxes: BoxView[]
}

/** A photo's labels and boxes. */
export function photoAnnotations(repo: AnnotationRepository, vocabulary: Vocabulary, photoId: number): PhotoAnnotations {
  const photo = repo.photo(photoId)
  if (!photo) throw new AnnotationError('no-such-photo', `photo ${photoId} is not in the library`)
  const byClass = new Map<number, LabelView>()
  for (const r of repo.labelRows(photoId)) {
    let v = byClass.get(r.classId)
    if (!v) {
      v = { classId: r.classId, name: vocabulary.name(r.classId), state: r.state, source: r.source, origin: null, confidence: null, human: null, model: null }
      byClass.set(r.classId, v)
    }
    if (r.source === 'human') {
      v.human = { state: r.state, origin: r.origin ?? 'hand', updatedAt: r.updatedAt }
      Object.assign(v, { state: r.state, source: 'human', origin: r.origin ?? 'hand' })
    } else {
      v.model = { state: r.state, confidence: r.confidence, modelVersion: r.modelVersion }
      v.confidence = r.confidence
      if (!v.human) Object.assign(v, { state: r.state, source: 'model' })
    }
  }
  const boxes = repo.photoBoxes(photoId).map((b) => ({
    id: b.id, box: b.box, classId: b.classId, name: vocabulary.name(b.classId), source: b.source, score: b.score,
    modelVersion: b.modelVersion, detectorOriginal: b.detectorOriginal, createdAt: b.createdAt,
  }))
  return { photoId, path: photo.path, width: photo.width, height: photo.height, reviewedAt: photo.reviewedAt, labels: [...byClass.values()], boxes }
}

/** Options of a review-queue page. */
export interface ReviewQueueOptions {
  order: ReviewOrder
  /** Page size, 1..1000 (default 50). */
  limit?: number
  /** The `next` of the previous page. */
  cursor?: ReviewCursor
  includeReviewed?: boolean
}

/** A page of the review queue. */
export interface ReviewQueuePage {
  items: (ReviewQueueItem & { className: string })[]
  /** Where the next page starts; null at the end. */
  next: ReviewCursor | null
}

/** A page of the review queue over the model's classes (the head's). */
export function reviewQueue(queue: ReviewQueueRepository, vocabulary: Vocabulary, options: ReviewQueueOptions): ReviewQueuePage {
  const limit = options.limit ?? 50
  const items = queue.page({ ...options, limit, modelClasses: vocabulary.baseNames.length })
  const last = items.at(-1)
  return {
    items: items.map((i) => ({ ...i, className: vocabulary.name(i.classId) })),
    next: items.length === limit && last ? { score: last.score, photoId: last.photoId } : null,
  }
}
