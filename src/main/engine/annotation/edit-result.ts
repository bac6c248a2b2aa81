/** What every edit call takes besides its own input, and what it returns. */
import type { CorrectionEntry } from '../store/annotation-types.js'

/** Who makes an edit, and an optional note kept with it in the log. */
export interface EditContext {
  /** A user name, or e.g. "import:coco"; default the service's `defaultActor`. */
  actor?: string
  note?: string
}

/** The outcome of an edit, returned once it is committed to disk. */
export interface EditResult {
  /** The edit's id in the correction log (what `revert` takes); null when nothing changed (nothing was logged). */
  editId: number | null
  action: string
  actor: string
  at: number
  /** The changes, in applied order, with their before and after snapshots. */
  entries: CorrectionEntry[]
  /** Photos whose labels, boxes or review mark changed (views to refresh). */
  photoIds: number[]
  /** Boxes that were added or restored (the app adds their vectors, if any, to the object index). */
  addedObjectIds: number[]
  /** Boxes that were deleted (the app removes them from the object index). */
  removedObjectIds: number[]
}
