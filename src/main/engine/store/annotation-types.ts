/**
 * Records of annotation: the snapshots the correction log keeps before and after each change of
 * a human label, a box or a photo's review mark, and the log's edits and entries.
 */
import type { Box, LabelState, ObjectSource } from './types.js'

/** How a human label came to be: set by hand (or imported; wins over boxes), or following the photo's boxes. */
export type LabelOrigin = 'hand' | 'boxes'

/** The human label row of one class of one photo. */
export interface HumanLabelSnapshot {
  state: LabelState
  origin: LabelOrigin
}

/** What the detector said about a box a person edited since (kept on the box, restored by undo). */
export interface DetectorOriginal {
  box: Box
  classId: number
  score: number
  modelVersion: string
}

/** One box (an `objects` row) as the log keeps it; features and vectors are not part of it. */
export interface BoxSnapshot {
  box: Box
  classId: number
  source: ObjectSource
  /** Detector score; null for human boxes. */
  score: number | null
  modelVersion: string | null
  /** Set on a detector box a person edited (it is then a human box). */
  detectorOriginal: DetectorOriginal | null
  createdAt: number
}

/** A photo's review mark. */
export interface ReviewSnapshot {
  reviewedAt: number
}

/** What a correction entry changed. */
export type CorrectionTarget = 'label' | 'box' | 'review'

/** A snapshot of the entry's target kind; null = did not exist (no human label, no box, not reviewed). */
export type TargetSnapshot<T extends CorrectionTarget> =
  T extends 'label' ? HumanLabelSnapshot : T extends 'box' ? BoxSnapshot : ReviewSnapshot

/** One change of an edit: its target before and after. */
export type CorrectionEntry = {
  id: number
  editId: number
  photoId: number
  /** The photo's content when edited (re-attaches the entry after a prune). */
  contentHash: string
} & (
  | { target: 'label'; classId: number; objectId: null; before: HumanLabelSnapshot | null; after: HumanLabelSnapshot | null }
  | { target: 'box'; classId: null; objectId: number; before: BoxSnapshot | null; after: BoxSnapshot | null }
  | { target: 'review'; classId: null; objectId: null; before: ReviewSnapshot | null; after: ReviewSnapshot | null }
)

/** One user action (one undo step) of the correction log. */
export interface EditRecord {
  id: number
  /** Who: a user name, or e.g. "import:coco". */
  actor: string
  /** What, e.g. "set-label", "add-box", "batch-label", "import", "undo", "redo". */
  action: string
  /** The edit this one reverts (undo of an edit, redo of an undo), else null. */
  reverts: number | null
  at: number
  note: string | null
}

/** An edit with its entries, in the order they were applied. */
export interface EditWithEntries extends EditRecord {
  entries: CorrectionEntry[]
}
