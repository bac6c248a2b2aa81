/**
 * Annotation for the app: one {@link AnnotationService} on the library's writer connection (its
 * edits are durable before a reply leaves), the head's classes plus the library's own names
 * (GloVe loaded on the first new name), and what follows each edit: `library.changed` ('labels')
 * for the photos it touched, and the object index kept in step with the boxes.
 *
 * Object index: a deleted box leaves it at once (object search never finds it again); a box an
 * undo restores comes back with its kept vector. A box a person draws has no vector (the head
 * embeds detector objects when a photo is analysed), so it is not in the object index: it counts
 * for labels, training and export, not for object search. A moved detector box keeps its vector.
 */
import type {
  EditReply, HistoryEntry, NameCheck, ParsedRequest, PhotoAnnotationsView, ReviewPage, UndoState, VocabularyItem,
} from '../../shared/api-contract.js'
import { AnnotationService } from '../engine/annotation/annotation-service.js'
import type { EditResult } from '../engine/annotation/edit-result.js'
import { lazyPackWordVectors } from '../engine/annotation/pack-vocabulary.js'
import type { WordLookup } from '../engine/annotation/vocabulary.js'
import type { Library } from '../engine/library/library.js'
import { METHODS } from '../engine/store/embedding-methods.js'
import {
  annotationApiError, annotationsView, editSummary, historyEntry, reviewPageView, undoStateView,
} from './annotation-views.js'
import type { EventBus } from './event-bus.js'

/** Extra fields of an edit reply. */
type ReplyExtra = Pick<EditReply, 'classId' | 'objectId' | 'vocabularyAdded'>

/** The annotation channels over one open library. */
export class AnnotationApp {
  readonly service: AnnotationService

  constructor(
    private readonly lib: Library,
    private readonly events: EventBus,
    /** The model pack (its GloVe vectors check and embed new names, loaded on first need). */
    packDir: string,
    words: () => WordLookup = lazyPackWordVectors(packDir),
  ) {
    this.service = new AnnotationService(lib.store.db, { classNames: lib.head.header.classNames, words })
  }

  /** A photo's label states, boxes and the undo state. */
  get(photoId: number): PhotoAnnotationsView {
    return this.guard(() => annotationsView(this.service.photoAnnotations(photoId), this.state()))
  }

  /** labels.set: accept (positive), reject (negative), unknown, or withdraw (null). */
  setLabel(r: ParsedRequest<'labels.set'>): EditReply {
    const { photoId, classId, state } = r
    return this.edit(() => state === null ? this.service.clearLabel({ photoId, classId })
      : state === 'positive' ? this.service.acceptLabel({ photoId, classId })
        : state === 'negative' ? this.service.rejectLabel({ photoId, classId })
          : this.service.setLabel({ photoId, classId, state }))
  }

  /** labels.add: a known class, or a new name GloVe knows (added to the vocabulary). */
  addLabel(r: ParsedRequest<'labels.add'>): EditReply {
    return this.edit(() => this.service.addLabel(r), (res) => ({
      classId: res.classId, ...(res.vocabularyAdded ? { vocabularyAdded: { classId: res.vocabularyAdded.classId, name: res.vocabularyAdded.name } } : {}),
    }))
  }

  batch(r: ParsedRequest<'labels.batch'>): EditReply {
    return this.edit(() => this.service.batchLabel(r))
  }

  addBox(r: ParsedRequest<'boxes.add'>): EditReply {
    return this.edit(() => this.service.addBox(r), (res) => ({ objectId: res.objectId }))
  }

  updateBox(r: ParsedRequest<'boxes.update'>): EditReply {
    return this.edit(() => this.service.updateBox(r), (res) => ({ objectId: res.objectId }))
  }

  deleteBox(r: ParsedRequest<'boxes.delete'>): EditReply {
    return this.edit(() => this.service.deleteBox(r))
  }

  review(r: ParsedRequest<'photos.review'>): EditReply {
    return this.edit(() => this.service.markReviewed(r))
  }

  undo(): EditReply {
    return this.edit(() => this.service.undo())
  }

  redo(): EditReply {
    return this.edit(() => this.service.redo())
  }

  /** What undo and redo would revert next. */
  state(): UndoState {
    return undoStateView(this.service.undoState(), (id) => this.service.repos.log.editWithEntries(id))
  }

  /** The correction log, newest first, with its changes in words. */
  history(r: ParsedRequest<'edits.history'>): HistoryEntry[] {
    const model = (photoId: number, classId: number) => {
      const m = this.service.repos.annotations.modelLabel(photoId, classId)
      return m ? `model ${m.state}` : 'no label'
    }
    return this.guard(() => this.service.history(r).map((e) => historyEntry(e, this.service.vocabulary, model)))
  }

  queue(r: ParsedRequest<'review.queue'>): ReviewPage {
    return this.guard(() => reviewPageView(this.service.reviewQueue(r)))
  }

  vocabulary(): VocabularyItem[] {
    return this.service.vocabulary.items()
  }

  /** What a typed name would be (loads GloVe on the first name the vocabulary lacks). */
  check(name: string): NameCheck {
    return this.guard(() => this.service.vocabulary.lookup(name))
  }

  /** After edits made elsewhere (an import): the photos' views refresh, deleted boxes leave the index. */
  applied(result: Pick<EditResult, 'photoIds' | 'addedObjectIds' | 'removedObjectIds'>): void {
    this.syncObjectIndex(result)
    if (result.photoIds.length > 0) this.events.emit('library.changed', { reason: 'labels', photoIds: result.photoIds })
  }

  private edit<T extends EditResult>(run: () => T, extra?: (result: T) => ReplyExtra): EditReply {
    const result = this.guard(run)
    this.applied(result)
    const edit = result.editId === null ? null : editSummary({ id: result.editId, action: result.action, actor: result.actor, at: result.at, reverts: null, note: null }, result.photoIds)
    return { edit, undoState: this.state(), ...extra?.(result) }
  }

  private syncObjectIndex(result: Pick<EditResult, 'addedObjectIds' | 'removedObjectIds'>): void {
    for (const id of result.removedObjectIds) this.lib.indexes.objects.remove(id)
    for (const objectId of result.addedObjectIds) {
      const e = this.lib.store.embeddings.get({ kind: 'object', objectId }, METHODS.object)
      if (e) this.lib.indexes.objects.add(objectId, e.vector)
    }
  }

  private guard<T>(run: () => T): T {
    try {
      return run()
    } catch (err) {
      throw annotationApiError(err)
    }
  }
}
