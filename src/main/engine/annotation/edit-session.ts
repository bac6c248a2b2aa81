/**
 * One edit being applied: every change of a human label, a box or a review mark goes through
 * here, is written and appended to the correction log as an entry with its before and after
 * snapshots, and (for labels) to `label_history`. Runs inside the edit's durable transaction.
 *
 * "The photo's labels follow its boxes unless set by hand": after the box changes of an edit,
 * {@link EditSession.followBoxes} sets each touched class of each touched photo from its boxes —
 * positive while a human box shows it; no human label while only the detector's boxes show it (a
 * box at or above the node threshold, or an alternative in a box's class evidence: the model's
 * label stands); when nothing shows it, negative if the model still claims the class (a person
 * removed what it saw), else no human label — unless a person set that label by hand, which always
 * wins. Changing a detector object touches its own class and its alternatives'.
 */
import type { AnnotationRepository, AnnotatedPhoto } from '../store/annotation-repository.js'
import type { BoxSnapshot, CorrectionEntry, EditRecord, HumanLabelSnapshot, ReviewSnapshot } from '../store/annotation-types.js'
import type { CorrectionLogRepository } from '../store/correction-log-repository.js'
import { AnnotationError } from './annotation-error.js'
import { sameSnapshot } from './snapshots.js'

/** The repositories an edit writes through. */
export interface EditRepositories {
  annotations: AnnotationRepository
  log: CorrectionLogRepository
}

/** What an edit is: who, what, and the edit it reverts (undo, redo). */
export interface EditStart {
  actor: string
  action: string
  reverts?: number | null
  note?: string | null
}

/** An edit in progress. Its `edits` row is appended with its first change: an edit that changes nothing leaves no trace. */
export class EditSession {
  readonly entries: CorrectionEntry[] = []
  readonly addedObjectIds: number[] = []
  readonly removedObjectIds: number[] = []
  private readonly photos = new Map<number, AnnotatedPhoto>()
  private readonly boxClasses = new Map<number, Set<number>>()
  private record: EditRecord | undefined

  constructor(
    private readonly repos: EditRepositories,
    readonly start: EditStart,
    /** Detector boxes at or above it show their class (the node threshold). */
    private readonly minDetectorScore: number,
  ) {}

  /** The edit's log record (appended on first use), or undefined while nothing changed. */
  get edit(): EditRecord | undefined {
    return this.record
  }

  private editRecord(): EditRecord {
    return (this.record ??= this.repos.log.appendEdit(this.start))
  }

  /** The photo, or an AnnotationError. */
  photo(photoId: number): AnnotatedPhoto {
    let p = this.photos.get(photoId)
    if (!p) {
      p = this.repos.annotations.photo(photoId)
      if (!p) throw new AnnotationError('no-such-photo', `photo ${photoId} is not in the library`)
      this.photos.set(photoId, p)
    }
    return p
  }

  /** Photos this edit changed, in first-change order. */
  photoIds(): number[] {
    return [...new Set(this.entries.map((e) => e.photoId))]
  }

  /** Sets the human label of a class (null withdraws it); logs an entry when it changes. */
  label(photoId: number, classId: number, next: HumanLabelSnapshot | null): CorrectionEntry | undefined {
    const { annotations, log } = this.repos
    const photo = this.photo(photoId)
    const before = annotations.humanLabel(photoId, classId)
    if (sameSnapshot(before, next)) return undefined
    const edit = this.editRecord()
    const model = annotations.modelLabel(photoId, classId)
    annotations.writeHumanLabel(photoId, classId, next)
    annotations.appendLabelHistory({
      photoId, contentHash: photo.contentHash, classId,
      before: before ? { state: before.state, source: 'human' } : model ? { state: model.state, source: 'model' } : null,
      after: next?.state ?? model?.state ?? 'unknown', actor: edit.actor, note: `edit ${edit.id} ${edit.action}`,
    })
    return this.push(log.appendEntry(edit.id, { photoId, contentHash: photo.contentHash, target: 'label', classId, objectId: null, before, after: next }))
  }

  /**
   * Changes box `objectId` of photo `photoId` to `next`: adds it (when it does not exist; with
   * that id if free), overwrites it, or deletes it (null). `restoreFrom` names the log entry whose
   * trash holds the features and vectors of a box being restored. Returns the box id (new for an add).
   */
  box(photoId: number, objectId: number | null, next: BoxSnapshot | null, restoreFrom?: number): number | null {
    const { annotations, log } = this.repos
    const photo = this.photo(photoId)
    const current = objectId === null ? null : annotations.box(objectId)
    if (current && current.photoId !== photoId) throw new AnnotationError('no-such-object', `box ${objectId} is not in photo ${photoId}`)
    const before = current && stripIds(current)
    if (sameSnapshot(before, next)) return objectId
    const entry = { photoId, contentHash: photo.contentHash, target: 'box' as const, classId: null, before }
    const editId = this.editRecord().id
    // a detector object that changes stops showing its alternatives too: their labels follow
    if (before?.source === 'detector') for (const c of annotations.evidenceClasses(objectId!, this.minDetectorScore)) this.touch(photoId, c)
    if (next === null) {
      const e = log.appendEntry(editId, { ...entry, objectId: objectId!, after: null })
      annotations.deleteBox(objectId!, e.id)
      this.removedObjectIds.push(objectId!)
      this.touch(photoId, before!.classId)
      this.push(e)
      return null
    }
    let id: number
    if (before === null) {
      id = annotations.insertBox(photoId, next, objectId ?? undefined)
      if (restoreFrom !== undefined) annotations.restoreFromTrash(restoreFrom, id)
      this.addedObjectIds.push(id)
    } else {
      id = objectId!
      annotations.updateBox(id, next)
      this.touch(photoId, before.classId)
    }
    this.touch(photoId, next.classId)
    this.push(log.appendEntry(editId, { ...entry, objectId: id, after: next }))
    return id
  }

  /** Sets (or clears) the review mark of a photo; logs an entry when it changes. */
  review(photoId: number, next: ReviewSnapshot | null): CorrectionEntry | undefined {
    const photo = this.photo(photoId)
    const before = this.repos.annotations.review(photoId)
    if ((before === null) === (next === null)) return undefined
    const editId = this.editRecord().id
    this.repos.annotations.writeReview(photoId, next)
    return this.push(this.repos.log.appendEntry(editId, {
      photoId, contentHash: photo.contentHash, target: 'review', classId: null, objectId: null, before, after: next,
    }))
  }

  /** Sets the labels of the classes whose boxes this edit changed from those boxes (see the file comment). */
  followBoxes(): void {
    for (const [photoId, classes] of this.boxClasses) {
      for (const classId of classes) this.label(photoId, classId, this.labelFromBoxes(photoId, classId))
    }
  }

  /** What the label of a class should be given the photo's boxes, or the current label when it was set by hand. */
  labelFromBoxes(photoId: number, classId: number): HumanLabelSnapshot | null {
    const { annotations } = this.repos
    const current = annotations.humanLabel(photoId, classId)
    if (current?.origin === 'hand') return current
    const boxes = annotations.classBoxCounts(photoId, classId, this.minDetectorScore)
    if (boxes.human > 0) return { state: 'positive', origin: 'boxes' }
    if (boxes.detector > 0 || annotations.evidenceShows(photoId, classId, this.minDetectorScore)) return null // the model's own boxes: its label stands
    return annotations.modelLabel(photoId, classId)?.state === 'positive' ? { state: 'negative', origin: 'boxes' } : null
  }

  private touch(photoId: number, classId: number): void {
    let set = this.boxClasses.get(photoId)
    if (!set) this.boxClasses.set(photoId, (set = new Set()))
    set.add(classId)
  }

  private push(e: CorrectionEntry): CorrectionEntry {
    this.entries.push(e)
    return e
  }
}

/** A stored box without its ids: the log's snapshot. */
export function stripIds(b: BoxSnapshot & { id?: number; photoId?: number }): BoxSnapshot {
  return { box: b.box, classId: b.classId, source: b.source, score: b.score, modelVersion: b.modelVersion, detectorOriginal: b.detectorOriginal, createdAt: b.createdAt }
}
