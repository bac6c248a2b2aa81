/**
 * Correcting labels and boxes: the engine API the app exposes to the workbench. Every edit is one
 * durable SQLite transaction (`commitDurably`: fsync'ed before the call returns) that changes the
 * rows and appends its entries to the correction log, so what a call returned is never lost,
 * even to kill -9. Each mutating call returns an {@link EditResult}; its `editId` is what
 * `revert` takes, and `undo` / `redo` walk a person's own edits (Ctrl+Z / Ctrl+Shift+Z).
 *
 * Editing a detector box (move, resize, relabel) turns it into a human box with the same id that
 * remembers what the detector said (`detectorOriginal`); editing or deleting a detector object
 * acts on its whole group (the other class guesses of the same box go with it). Boxes are in the
 * photo's pixels and are clamped to the photo when its size is known.
 */
import type { LibraryDb } from '../store/database.js'
import { commitDurably } from '../store/database.js'
import { AnnotationRepository } from '../store/annotation-repository.js'
import type { BoxSnapshot, EditRecord, EditWithEntries } from '../store/annotation-types.js'
import { ReviewQueueRepository } from '../store/review-queue-repository.js'
import { CorrectionLogRepository } from '../store/correction-log-repository.js'
import type { VocabularyEntry } from '../store/vocabulary-repository.js'
import { VocabularyRepository } from '../store/vocabulary-repository.js'
import type { Box, LabelState } from '../store/types.js'
import { NODE_THRESHOLD } from '../analysis/analyze-photo.js'
import { AnnotationError } from './annotation-error.js'
import { EditSession, stripIds, type EditStart } from './edit-session.js'
import { objectGroup } from './object-groups.js'
import { Vocabulary, type WordLookup } from './vocabulary.js'
import type { EditResult, EditContext } from './edit-result.js'
import { photoAnnotations, reviewQueue, type PhotoAnnotations, type ReviewQueueOptions, type ReviewQueuePage } from './annotation-reads.js'
import { applyInverse } from './revert.js'
import { UNDO_DEPTH, undoStacks } from './undo-history.js'

/** Options of {@link AnnotationService}. */
export interface AnnotationServiceOptions {
  /** The head's class names (the base vocabulary; index = class id). */
  classNames: readonly string[]
  /** GloVe lookup for new label names, loaded on first need (e.g. `lazyPackWordVectors()`); without it no name can be added. */
  words?: () => WordLookup
  /** Clock for stored times (tests pin it). */
  now?: () => number
  /** Actor of edits that name none; default "user". */
  defaultActor?: string
}

/** How a batch changes one class over many photos. */
export type BatchLabelOp = 'add' | 'remove' | 'accept' | 'clear'

const HAND = (state: LabelState) => ({ state, origin: 'hand' as const })

/** The annotation engine of one open library (one per writer connection). */
export class AnnotationService {
  readonly vocabulary: Vocabulary
  /** @internal the repositories (reads use them too). */
  readonly repos: { annotations: AnnotationRepository; log: CorrectionLogRepository; vocabulary: VocabularyRepository }
  readonly now: () => number
  private readonly defaultActor: string
  private readonly queue: ReviewQueueRepository

  constructor(
    /** The library's writer connection (`LibraryStore.db`). */
    readonly db: LibraryDb,
    options: AnnotationServiceOptions,
  ) {
    this.now = options.now ?? Date.now
    this.repos = {
      annotations: new AnnotationRepository(db, this.now),
      log: new CorrectionLogRepository(db, this.now),
      vocabulary: new VocabularyRepository(db, this.now),
    }
    this.vocabulary = new Vocabulary(options.classNames, this.repos.vocabulary, options.words)
    this.queue = new ReviewQueueRepository(db, this.now)
    this.defaultActor = options.defaultActor ?? 'user'
  }

  /** Runs `fn` as one edit in one durable transaction; nothing is written if it throws or changes nothing. */
  run<T extends object>(start: Omit<EditStart, 'actor'> & EditContext, fn: (s: EditSession) => T): EditResult & T {
    const actor = start.actor?.trim() || this.defaultActor
    try {
      return commitDurably(this.db, () => {
        const s = new EditSession(this.repos, { action: start.action, reverts: start.reverts, note: start.note, actor }, NODE_THRESHOLD)
        const extra = fn(s)
        const edit = s.edit
        return {
          editId: edit?.id ?? null, action: start.action, actor, at: edit?.at ?? this.now(), entries: s.entries,
          photoIds: s.photoIds(), addedObjectIds: s.addedObjectIds, removedObjectIds: s.removedObjectIds, ...extra,
        }
      })
    } catch (error) {
      this.vocabulary.refresh() // a name added in the rolled-back transaction is gone
      throw error
    }
  }

  /** Sets a person's state of a class of a photo (origin 'hand': boxes no longer change it). */
  setLabel(input: { photoId: number; classId: number; state: LabelState } & EditContext): EditResult {
    return this.run({ ...input, action: 'set-label' }, (s) => {
      this.requireClass(input.classId)
      s.label(input.photoId, input.classId, HAND(input.state))
      return {}
    })
  }

  /** Accepts a label (positive, by hand): the one key "accept" of the workbench. */
  acceptLabel(input: { photoId: number; classId: number } & EditContext): EditResult {
    return this.run({ ...input, action: 'accept-label' }, (s) => (this.requireClass(input.classId), s.label(input.photoId, input.classId, HAND('positive')), {}))
  }

  /** Rejects a label (negative, by hand): the one key "reject" of the workbench. */
  rejectLabel(input: { photoId: number; classId: number } & EditContext): EditResult {
    return this.run({ ...input, action: 'reject-label' }, (s) => (this.requireClass(input.classId), s.label(input.photoId, input.classId, HAND('negative')), {}))
  }

  /** Withdraws a person's label: the class follows the model again (or the photo's human boxes, if it has some). */
  clearLabel(input: { photoId: number; classId: number } & EditContext): EditResult {
    return this.run({ ...input, action: 'clear-label' }, (s) => {
      s.photo(input.photoId)
      const human = this.repos.annotations.classBoxCounts(input.photoId, input.classId, NODE_THRESHOLD).human
      s.label(input.photoId, input.classId, human > 0 ? { state: 'positive', origin: 'boxes' } : null)
      return {}
    })
  }

  /**
   * Adds a label by name (positive, by hand): a class of the vocabulary under any spelling it
   * knows, or a new name when GloVe has a vector for each of its words (then added to the
   * library's vocabulary). Throws 'no-word-vector' naming the word GloVe lacks.
   */
  addLabel(input: { photoId: number; name: string } & EditContext): EditResult & { classId: number; vocabularyAdded?: VocabularyEntry } {
    return this.run({ ...input, action: 'add-label' }, (s) => {
      s.photo(input.photoId)
      const { classId, added } = this.vocabulary.resolveOrAdd(input.name, input.actor?.trim() || this.defaultActor)
      s.label(input.photoId, classId, HAND('positive'))
      return added ? { classId, vocabularyAdded: added } : { classId }
    })
  }

  /**
   * One class over a selection of photos, as one edit: 'add' (positive by hand), 'remove'
   * (negative by hand), 'accept' (positive by hand where the model says positive; others
   * unchanged), 'clear' (withdraw the human label).
   */
  batchLabel(input: { photoIds: readonly number[]; classId: number; op: BatchLabelOp } & EditContext): EditResult {
    if (input.photoIds.length > 100_000) throw new AnnotationError('bad-request', 'a batch takes at most 100,000 photos')
    return this.run({ ...input, action: `batch-${input.op}` }, (s) => {
      this.requireClass(input.classId)
      for (const photoId of new Set(input.photoIds)) {
        s.photo(photoId)
        if (input.op === 'add') s.label(photoId, input.classId, HAND('positive'))
        else if (input.op === 'remove') s.label(photoId, input.classId, HAND('negative'))
        else if (input.op === 'clear') s.label(photoId, input.classId, null)
        else if (this.repos.annotations.modelLabel(photoId, input.classId)?.state === 'positive') s.label(photoId, input.classId, HAND('positive'))
      }
      return {}
    })
  }

  /** Draws a box (a human box); the class's label follows unless set by hand. Returns its id as `objectId`. */
  addBox(input: { photoId: number; box: Box; classId: number } & EditContext): EditResult & { objectId: number } {
    return this.run({ ...input, action: 'add-box' }, (s) => {
      this.requireClass(input.classId)
      const photo = s.photo(input.photoId)
      const box: BoxSnapshot = {
        box: checkBox(input.box, photo), classId: input.classId, source: 'human', score: null, modelVersion: null, detectorOriginal: null, createdAt: this.now(),
      }
      const objectId = s.box(input.photoId, null, box)!
      s.followBoxes()
      return { objectId }
    })
  }

  /** Moves, resizes and/or relabels a box (see the file comment for detector boxes). */
  updateBox(input: { objectId: number; box?: Box; classId?: number } & EditContext): EditResult & { objectId: number } {
    const action = input.box && input.classId !== undefined ? 'edit-box' : input.box ? 'move-box' : 'relabel-box'
    return this.run({ ...input, action }, (s) => {
      if (!input.box && input.classId === undefined) throw new AnnotationError('bad-request', 'give a new box, a new class, or both')
      if (input.classId !== undefined) this.requireClass(input.classId)
      const current = this.requireBox(input.objectId)
      const photo = s.photo(current.photoId)
      const next: BoxSnapshot = { ...stripIds(current), box: input.box ? checkBox(input.box, photo) : current.box, classId: input.classId ?? current.classId }
      if (current.source === 'detector') {
        Object.assign(next, { source: 'human', score: null, modelVersion: null })
        next.detectorOriginal = { box: current.box, classId: current.classId, score: current.score ?? 0, modelVersion: current.modelVersion ?? '' }
      }
      const group = objectGroup(this.repos.annotations.photoBoxes(current.photoId), current.id)
      for (const other of group) if (other !== current.id) s.box(current.photoId, other, null)
      s.box(current.photoId, current.id, next)
      s.followBoxes()
      return { objectId: current.id }
    })
  }

  /** Deletes a box (a detector object with its other class guesses). */
  deleteBox(input: { objectId: number } & EditContext): EditResult {
    return this.run({ ...input, action: 'delete-box' }, (s) => {
      const current = this.requireBox(input.objectId)
      for (const id of objectGroup(this.repos.annotations.photoBoxes(current.photoId), current.id)) s.box(current.photoId, id, null)
      s.followBoxes()
      return {}
    })
  }

  /** Marks photos reviewed (or not), as one edit. */
  markReviewed(input: { photoIds: readonly number[]; reviewed?: boolean } & EditContext): EditResult {
    const reviewed = input.reviewed ?? true
    return this.run({ ...input, action: reviewed ? 'review' : 'unreview' }, (s) => {
      for (const photoId of new Set(input.photoIds)) s.review(photoId, reviewed ? { reviewedAt: this.now() } : null)
      return {}
    })
  }

  /**
   * Reverts an edit by appending its inverse as a new edit ("undo"; reverting an undo is a
   * "redo"). Throws 'no-such-edit', or 'conflict' when a later edit changed what it touched.
   */
  revert(input: { editId: number } & EditContext): EditResult {
    return commitDurably(this.db, () => {
      const edit = this.repos.log.editWithEntries(input.editId)
      if (!edit) throw new AnnotationError('no-such-edit', `edit ${input.editId} is not in the correction log`)
      return this.run({ ...input, action: edit.action === 'undo' ? 'redo' : 'undo', reverts: edit.id }, (s) => {
        applyInverse(s, this.repos.annotations, edit)
        return {}
      })
    })
  }

  /** Undoes the person's last edit not undone yet (Ctrl+Z). Throws 'nothing-to-undo'. */
  undo(input: EditContext = {}): EditResult {
    return commitDurably(this.db, () => {
      const top = this.undoState(input).undo
      if (!top) throw new AnnotationError('nothing-to-undo', 'there is nothing to undo')
      return this.revert({ ...input, editId: top.id })
    })
  }

  /** Redoes the person's last undone edit (Ctrl+Shift+Z); any other edit since clears redo. Throws 'nothing-to-redo'. */
  redo(input: EditContext = {}): EditResult {
    return commitDurably(this.db, () => {
      const top = this.undoState(input).redo
      if (!top) throw new AnnotationError('nothing-to-redo', 'there is nothing to redo')
      return this.revert({ ...input, editId: top.id })
    })
  }

  /** What undo and redo would revert next for a person (null: nothing), for the buttons' state. */
  undoState(input: { actor?: string } = {}): { undo: EditRecord | null; redo: EditRecord | null } {
    const stacks = undoStacks(this.repos.log.recentEdits(input.actor?.trim() || this.defaultActor, UNDO_DEPTH))
    return { undo: stacks.undo.at(-1) ?? null, redo: stacks.redo.at(-1) ?? null }
  }

  /** A photo's label states (human and model) and boxes. */
  photoAnnotations(photoId: number): PhotoAnnotations {
    return photoAnnotations(this.repos.annotations, this.vocabulary, photoId)
  }

  /** A page of the review queue: by model uncertainty, or by model-vs-label disagreement. */
  reviewQueue(options: ReviewQueueOptions): ReviewQueuePage {
    return reviewQueue(this.queue, this.vocabulary, options)
  }

  /** The correction log, newest edit first: all, one person's, or one photo's (its entries only). */
  history(options: { photoId?: number; actor?: string; beforeId?: number; limit?: number } = {}): EditWithEntries[] {
    return this.repos.log.edits(options)
  }

  /** Throws unless `classId` is in the vocabulary. */
  requireClass(classId: number): void {
    if (!this.vocabulary.has(classId)) throw new AnnotationError('no-such-class', `class ${classId} is not in the vocabulary`)
  }

  private requireBox(objectId: number) {
    const b = this.repos.annotations.box(objectId)
    if (!b) throw new AnnotationError('no-such-object', `box ${objectId} is not in the library`)
    return b
  }
}

/** A finite box with x2 > x1 and y2 > y1, clamped to the photo when its size is known. */
export function checkBox(box: Box, photo: { width: number | null; height: number | null }): Box {
  if (!Array.isArray(box) || box.length !== 4 || box.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
    throw new AnnotationError('bad-box', `a box is four finite numbers [x1, y1, x2, y2] in photo pixels (got ${JSON.stringify(box)})`)
  }
  const clamp = (v: number, max: number | null) => Math.min(Math.max(v, 0), max ?? Infinity)
  const b: Box = [clamp(box[0], photo.width), clamp(box[1], photo.height), clamp(box[2], photo.width), clamp(box[3], photo.height)]
  if (!(b[2] > b[0] && b[3] > b[1])) throw new AnnotationError('bad-box', `box ${JSON.stringify(box)} is empty within the photo (x2 must exceed x1 and y2 exceed y1)`)
  return b
}
