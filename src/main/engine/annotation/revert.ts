/**
 * Reverting an edit: its entries are applied backwards, each target set back to its `before`
 * snapshot, as a new edit whose entries are the inverse ones (the log is never rewritten). A
 * target that changed since (another edit touched it) makes the revert a conflict, and nothing
 * is written. A deleted box comes back with its id when that id is still free (else a new one),
 * with the features and vectors kept in the trash at its deletion.
 */
import type { CorrectionEntry, EditWithEntries } from '../store/annotation-types.js'
import type { AnnotationRepository } from '../store/annotation-repository.js'
import { AnnotationError } from './annotation-error.js'
import { stripIds, type EditSession } from './edit-session.js'
import { sameSnapshot } from './snapshots.js'

/** The current snapshot of an entry's target (with `objectId` for a box). */
function currentOf(annotations: AnnotationRepository, e: CorrectionEntry, objectId: number | null): unknown {
  if (e.target === 'label') return annotations.humanLabel(e.photoId, e.classId)
  if (e.target === 'review') return annotations.review(e.photoId)
  const box = annotations.box(objectId!)
  return box && box.photoId === e.photoId ? stripIds(box) : null
}

/** What an entry is about, for a conflict message. */
function describe(e: CorrectionEntry, objectId: number | null): string {
  if (e.target === 'label') return `the label of class ${e.classId} of photo ${e.photoId}`
  if (e.target === 'review') return `the review mark of photo ${e.photoId}`
  return `box ${objectId} of photo ${e.photoId}`
}

/** Applies the inverse of `edit` through `session`; throws a 'conflict' AnnotationError if a target changed since. */
export function applyInverse(session: EditSession, annotations: AnnotationRepository, edit: EditWithEntries): void {
  const moved = new Map<number, number>()
  for (const e of [...edit.entries].reverse()) {
    const objectId = e.objectId === null ? null : moved.get(e.objectId) ?? e.objectId
    if (!sameSnapshot(currentOf(annotations, e, objectId), e.after)) {
      throw new AnnotationError('conflict', `cannot revert edit ${edit.id} (${edit.action}): ${describe(e, objectId)} was changed by a later edit. ` +
        'Revert the later edits first.')
    }
    if (e.target === 'label') session.label(e.photoId, e.classId, e.before)
    else if (e.target === 'review') session.review(e.photoId, e.before)
    else {
      // a box to restore whose id another photo's box has taken since comes back under a new id
      const taken = e.after === null && annotations.box(objectId!) !== null
      const id = session.box(e.photoId, taken ? null : objectId, e.before, e.after === null ? e.id : undefined)
      if (id !== null && id !== objectId) moved.set(e.objectId!, id)
    }
  }
}
