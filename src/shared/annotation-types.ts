/**
 * Records of the annotation, interchange and training channels (see `api-contract.ts`). Pure TS.
 * Boxes are `[x1, y1, x2, y2]` in the photo's own (EXIF-oriented) pixels; times are ms since the epoch.
 */
import type { Box } from './domain.js'
import type { LabelState } from './api-types.js'

/** One edit of the correction log, as undo/redo buttons and the history show it. */
export interface EditSummary {
  /** Its id in the correction log. */
  editId: number
  /** e.g. "accept-label", "move-box", "batch-add", "undo". */
  action: string
  actor: string
  at: number
  /** Photos it changed. */
  photoIds: number[]
}

/** What undo and redo would revert next (null: nothing). */
export interface UndoState {
  undo: EditSummary | null
  redo: EditSummary | null
}

/** The reply of every editing channel, sent once the edit is committed to disk. */
export interface EditReply {
  /** The committed edit; null when nothing changed (nothing was logged). */
  edit: EditSummary | null
  /** Undo/redo after this edit. */
  undoState: UndoState
  /** labels.add: the class the name resolved to. boxes.add/update: the box's id. */
  classId?: number
  objectId?: number
  /** labels.add: set when the name was new and became a class of the library's vocabulary. */
  vocabularyAdded?: { classId: number; name: string }
}

/** The state of one class of a photo: the effective one (human over model) and both sides. */
export interface LabelInfo {
  classId: number
  name: string
  state: LabelState
  source: 'model' | 'human'
  /** For a human label: set by hand, or following the photo's boxes. */
  origin: 'hand' | 'boxes' | null
  /** The model's confidence for the class (whatever the person said); null without a model row. */
  confidence: number | null
  human: { state: LabelState; origin: 'hand' | 'boxes'; updatedAt: number } | null
  model: { state: LabelState; confidence: number | null } | null
}

/** One stored box of a photo (every class guess of the detector, and every box drawn by a person). */
export interface AnnotationBox {
  id: number
  box: Box
  classId: number
  name: string
  source: 'detector' | 'human'
  /** Detector score; null for a person's box. */
  score: number | null
  /** For a detector box a person edited: what the detector said. */
  detectorOriginal: { box: Box; classId: number; score: number } | null
}

/** Everything annotation shows of one photo. */
export interface PhotoAnnotationsView {
  photoId: number
  width: number | null
  height: number | null
  /** When a person marked it reviewed; null when not reviewed. */
  reviewedAt: number | null
  /** One per class with any label row, by class id. */
  labels: LabelInfo[]
  boxes: AnnotationBox[]
  undoState: UndoState
}

/** One class of the library's vocabulary. */
export interface VocabularyItem {
  classId: number
  name: string
  /** Added by a person (not a class of the head). */
  custom: boolean
}

/** What a typed label name is: a known class, a new name GloVe knows, or one it has no vector for. */
export type NameCheck =
  | { kind: 'known'; classId: number; name: string }
  | { kind: 'new'; name: string }
  | { kind: 'no-vector'; name: string; word: string; message: string }

/** One photo of the review queue, with the label that put it there. */
export interface ReviewItem {
  photoId: number
  /** File name. */
  name: string
  /** 0..1, higher first: model uncertainty, or how likely the current label is wrong. */
  score: number
  classId: number
  className: string
  /** The model's confidence for that class (null: no model label). */
  modelConfidence: number | null
  /** The person's state for that class (disagreement order); null for uncertainty. */
  humanState: LabelState | null
}

/** A page of the review queue. */
export interface ReviewPage {
  items: ReviewItem[]
  /** Pass back as `cursor` for the next page; null at the end. */
  next: { score: number; photoId: number } | null
}

/** One entry of the correction log. */
export interface HistoryEntry extends EditSummary {
  /** What changed, in words (e.g. "dog: model positive → human negative"). */
  changes: string[]
  /** The edit this one reverts (undo/redo), if any. */
  reverts: number | null
}

/** Retrieval and classification figures of a head on held-out photos. */
export interface HeadMetrics {
  /** Held-out photos scored. */
  photos: number
  /** Retrieval mAP, NDCG@10 and classification mAP, in percent. */
  mAP: number
  ndcg: number
  clsMAP: number | null
}

/** One version of the head of this library. */
export interface HeadVersionInfo {
  /** "default" for the shipped head. */
  id: string
  modelVersion: string
  createdAt: string
  active: boolean
  /** On the held-out human-verified photos: the head in use before training, and this one. */
  before: HeadMetrics | null
  after: HeadMetrics | null
  /** Photos it was trained on (human-known labels), null for the shipped head. */
  trainedOn: number | null
}

/** A training job's progress, pushed with its `job.updated`. */
export interface TrainProgress {
  /** e.g. "caching features", "training", "evaluating", "building the graph". */
  stage: string
  epoch: number
  epochs: number
  /** One point per finished epoch. */
  history: { epoch: number; loss: number; validationMAP: number | null }[]
  /** Set when the job completed: the new head version (not active until activated). */
  headId?: string
}

/** What an import did (or would do, dry run). */
export interface ImportReport {
  format: string
  records: number
  matchedPhotos: number
  unmatched: { count: number; examples: string[] }
  /** Class names not in the vocabulary, never silently dropped. */
  unknownClasses: { name: string; count: number; reason: string }[]
  addedClasses: string[]
  labelsSet: number
  boxesAdded: number
  photosChanged: number
  dryRun: boolean
}

/** What an export wrote. */
export interface ExportReport {
  format: string
  out: string
  files: number
  photos: number
  labels: number
  boxes: number
  skipped: { notAnnotated: number; sizeUnknown: number }
  seconds: number
}

/** What a job reports besides done/total (by kind). */
export type JobDetail =
  | { kind: 'train'; progress: TrainProgress }
  | { kind: 'import'; report: ImportReport }
  | { kind: 'export'; report: ExportReport }
  | { kind: 'activate-head'; headId: string; photos: number; reembedSeconds: number; reindexSeconds: number }
