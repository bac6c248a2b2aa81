/**
 * The open photo's annotations: its label states (human over model), its stored boxes, whether it
 * was reviewed, undo/redo, and every edit (labels, boxes, review). An edit counts as saved only
 * once its reply arrived: the engine commits it to SQLite before it answers. Failures become
 * error toasts. While a box edit is on its way the editor shows the box where the person left it
 * ({@link AnnotationManager.pendingBoxes}), until the photo has been read again.
 */
import type { AnnotationBox, ApiChannel, ApiRequest, EditReply, EditSummary, LabelInfo, LabelState, NameCheck, PhotoAnnotationsView, UndoState, VocabularyItem } from '../../../shared/api-contract.js'
import type { Box } from '../../../shared/domain.js'
import { call } from '../api.js'
import { digitClasses, useClass } from '../geometry/box-edit.js'
import { errorMessage, type Toasts } from './toasts.svelte.js'

/** How the last edits went: `saving` while any is on its way. */
export type SaveStatus = 'idle' | 'saving' | 'saved' | 'failed'

/** What a drag on the photo does in edit mode. */
export type EditTool = 'select' | 'draw'

/** A box drawn and not stored yet (negative key). */
export interface DraftBox {
  key: number
  box: Box
  classId: number
}

/** Options of {@link AnnotationManager}. */
export interface AnnotationOptions {
  toasts?: Pick<Toasts, 'error' | 'show'>
  /**
   * Makes the photo view show these stored boxes of photo `photoId` (it reads the photo again
   * unless it already shows them). Called after every read of an edited photo's annotations.
   */
  refreshPhoto?: (photoId: number, boxes: readonly AnnotationBox[]) => Promise<void>
}

/** An edit's action in words, e.g. "accept-label" -> "accept label". */
export function describeEdit(edit: EditSummary | null): string {
  return edit ? edit.action.replace(/-/g, ' ') : ''
}

/** Label rows in panel order: present first, then by model confidence, then by name. */
export function labelOrder(labels: readonly LabelInfo[]): LabelInfo[] {
  const rank = (l: LabelInfo): number => (l.state === 'positive' ? 0 : l.state === 'unknown' ? 1 : 2)
  return [...labels].sort((a, b) => rank(a) - rank(b) || (b.confidence ?? -1) - (a.confidence ?? -1) || a.name.localeCompare(b.name))
}

/** Annotation state and edits of the photo view. */
export class AnnotationManager {
  photoId = $state<number | null>(null)
  view = $state.raw<PhotoAnnotationsView | null>(null)
  error = $state<string | null>(null)
  undoState = $state.raw<UndoState>({ undo: null, redo: null })
  vocabulary = $state.raw<VocabularyItem[]>([])
  /** Edits sent and not answered yet. */
  inFlight = $state(0)
  /** The last edit request sent (the next waits for its answer). */
  #sent: Promise<unknown> = Promise.resolve()
  status = $state<SaveStatus>('idle')
  /** When the last edit was saved (ms). */
  savedAt = $state<number | null>(null)
  /** Box edit mode (handles, drawing, zoom keys). */
  editing = $state(false)
  tool = $state<EditTool>('select')
  /** The label row the keys act on. */
  focusedClass = $state<number | null>(null)
  /** Boxes moved or deleted (null) whose edit is on its way, by object id. */
  pendingBoxes = $state.raw<Readonly<Record<number, Box | null>>>({})
  drafts = $state.raw<DraftBox[]>([])
  /** Classes picked for boxes, most recent first (digits pick them). */
  recentClasses = $state.raw<number[]>([])
  /** The class a new box gets. */
  drawClass = $state<number | null>(null)

  readonly labels: LabelInfo[] = $derived(labelOrder(this.view?.labels ?? []))
  readonly reviewed: boolean = $derived(this.view?.reviewedAt != null)
  readonly classNames: Readonly<Record<number, string>> = $derived(Object.fromEntries(this.vocabulary.map((v) => [v.classId, v.name])))
  /** Classes the digits 1-9 pick: recent ones, then this photo's boxed and present classes. */
  readonly digits: number[] = $derived(
    digitClasses(this.recentClasses, [
      ...(this.view?.boxes ?? []).filter((b) => b.source === 'human' || (b.score ?? 0) >= 0.25).map((b) => b.classId),
      ...this.labels.filter((l) => l.state === 'positive').map((l) => l.classId),
    ]),
  )
  /** The class a new box gets: the one picked last, else the first digit's, else class 0. */
  readonly newBoxClass: number = $derived(this.drawClass ?? this.digits[0] ?? 0)

  /** Edits seen (replies, undo state, history): what they did and which edit they revert. */
  #known = $state.raw<Readonly<Record<number, { action: string; reverts: number | null }>>>({})
  #token = 0
  #refresh: Promise<void> = Promise.resolve()
  #nextDraft = -1
  #checks: Record<string, Promise<NameCheck>> = {}
  readonly #toasts: AnnotationOptions['toasts']
  readonly #refreshPhoto: NonNullable<AnnotationOptions['refreshPhoto']>

  constructor(options: AnnotationOptions = {}) {
    this.#toasts = options.toasts
    this.#refreshPhoto = options.refreshPhoto ?? (() => Promise.resolve())
  }

  /**
   * What an edit did, in words; an undo or redo is named by the edit it reverts ("Redo delete
   * box", not "Redo undo"), followed through the edits this manager has seen.
   */
  describe(edit: EditSummary | null): string {
    let action = edit?.action ?? ''
    let id = edit?.editId ?? 0
    for (let hops = 0; (action === 'undo' || action === 'redo') && hops < 50; hops++) {
      const reverts = this.#known[id]?.reverts ?? null
      const target = reverts !== null ? this.#known[reverts] : undefined
      if (!target) return action === 'undo' ? 'the last undo' : 'the last redo'
      action = target.action
      id = reverts!
    }
    return describeEdit(edit ? { ...edit, action } : null)
  }

  #remember(edits: { editId: number; action: string; reverts?: number | null }[]): void {
    const next = { ...this.#known }
    for (const e of edits) next[e.editId] = { action: e.action, reverts: e.reverts ?? next[e.editId]?.reverts ?? null }
    this.#known = next
  }

  /** Sets the undo state, reading the history when it names an undo/redo this manager cannot name yet. */
  #setUndoState(state: UndoState): void {
    this.undoState = state
    const unnamed = [state.undo, state.redo].some((e) => e && (e.action === 'undo' || e.action === 'redo') && this.describe(e).startsWith('the last'))
    if (unnamed) {
      call('edits.history', { limit: 100 }).then(
        (entries) => this.#remember(entries),
        () => {},
      )
    }
  }

  /** Shows photo `photoId`'s annotations (and loads the vocabulary the first time). */
  async open(photoId: number): Promise<void> {
    if (this.photoId !== photoId) {
      this.photoId = photoId
      this.view = null
      this.focusedClass = null
      this.pendingBoxes = {}
      this.drafts = []
    }
    if (this.vocabulary.length === 0) void this.loadVocabulary()
    await this.reload()
  }

  /** Forgets photo `photoId` if it is still the open one (the photo view closed): events no longer reload it. */
  close(photoId: number): void {
    if (this.photoId !== photoId) return
    this.#token++
    this.photoId = null
    this.view = null
  }

  /**
   * Reads the open photo's annotations again, and has the photo view show the same boxes. That is
   * checked against what the view shows, not against the last annotations read: the view's own
   * read may have seen a later edit (a quick undo) than the read that asked for it.
   */
  async reload(): Promise<void> {
    const photoId = this.photoId
    if (photoId === null) return
    const token = ++this.#token
    try {
      const view = await call('annotations.get', { photoId })
      if (token !== this.#token) return
      // The first view of a photo needs no re-read: the photo view read the photo itself when it opened.
      const first = this.view === null
      this.view = view
      this.#setUndoState(view.undoState)
      this.error = null
      if (this.focusedClass === null || !view.labels.some((l) => l.classId === this.focusedClass)) this.focusedClass = this.labels[0]?.classId ?? null
      if (!first) await (this.#refresh = this.#refreshPhoto(photoId, view.boxes).catch(() => {}))
    } catch (err) {
      if (token === this.#token) this.error = errorMessage(err)
    }
  }

  /** Reloads when a `library.changed` event says the open photo's labels changed. */
  onLibraryChanged(event: { reason: string; photoIds?: number[] }): void {
    if (event.reason !== 'labels' || this.photoId === null) return
    if (!event.photoIds || event.photoIds.includes(this.photoId)) void this.reload()
  }

  /** Reads the vocabulary (classes of the head and names people added). */
  async loadVocabulary(): Promise<void> {
    try {
      this.vocabulary = await call('vocabulary.list', {})
    } catch (err) {
      this.#toasts?.error('Could not read the vocabulary', err)
    }
  }

  /** What a typed label name would be (cached per name). */
  checkName(name: string): Promise<NameCheck> {
    const key = name.trim().toLowerCase()
    let check = this.#checks[key]
    if (!check) {
      check = call('vocabulary.check', { name: key })
      this.#checks[key] = check
      check.catch(() => delete this.#checks[key])
    }
    return check
  }

  /** Sets a person's state of a class (null withdraws it: the model's, or the boxes', counts again). */
  setLabel(classId: number, state: LabelState | null): Promise<EditReply | null> {
    const photoId = this.photoId
    if (photoId === null) return Promise.resolve(null)
    return this.#edit('labels.set', { photoId, classId, state }, 'Could not save the label')
  }

  /** Sets the focused row's state (y accept, n reject, u unknown, Backspace withdraw). */
  setFocused(state: LabelState | null): Promise<EditReply | null> {
    const row = this.labels.find((l) => l.classId === this.focusedClass)
    if (!row || (state === null && !row.human)) return Promise.resolve(null)
    return this.setLabel(row.classId, state)
  }

  /** Moves the focused row up (-1) or down (+1). */
  moveFocus(delta: number): void {
    const rows = this.labels
    if (rows.length === 0) return
    const at = rows.findIndex((l) => l.classId === this.focusedClass)
    this.focusedClass = rows[Math.max(0, Math.min(rows.length - 1, at < 0 ? 0 : at + delta))].classId
  }

  /** Adds a label by name (a class, or a new name GloVe knows). */
  async addLabel(name: string): Promise<EditReply | null> {
    const photoId = this.photoId
    if (photoId === null) return null
    const reply = await this.#edit('labels.add', { photoId, name }, `Could not add “${name}”`)
    if (reply?.vocabularyAdded) {
      this.#checks = {}
      await this.loadVocabulary()
      this.#toasts?.show('ok', `“${reply.vocabularyAdded.name}” is a new label`, 'It was added to the vocabulary of this library.')
    }
    if (reply?.classId !== undefined) this.focusedClass = reply.classId
    return reply
  }

  /** Marks the open photo reviewed (or not). */
  markReviewed(reviewed = !this.reviewed): Promise<EditReply | null> {
    const photoId = this.photoId
    if (photoId === null) return Promise.resolve(null)
    return this.#edit('photos.review', { photoIds: [photoId], reviewed }, 'Could not mark the photo reviewed')
  }

  /** Draws a box of `classId`; resolves to the new box's object id. */
  async addBox(box: Box, classId: number): Promise<number | null> {
    const photoId = this.photoId
    if (photoId === null) return null
    const draft = { key: this.#nextDraft--, box, classId }
    this.drafts = [...this.drafts, draft]
    this.recentClasses = useClass(this.recentClasses, classId)
    try {
      const reply = await this.#edit('boxes.add', { photoId, box, classId }, 'Could not save the new box')
      return reply?.objectId ?? null
    } finally {
      this.drafts = this.drafts.filter((d) => d !== draft)
    }
  }

  /** Moves or resizes a box. */
  moveBox(objectId: number, box: Box): Promise<EditReply | null> {
    return this.#boxEdit(objectId, box, 'boxes.update', { objectId, box }, 'Could not save the box')
  }

  /** Gives a box another class. */
  relabelBox(objectId: number, classId: number): Promise<EditReply | null> {
    this.recentClasses = useClass(this.recentClasses, classId)
    return this.#edit('boxes.update', { objectId, classId }, 'Could not relabel the box')
  }

  /** Deletes a box (a detector object with its other class guesses). */
  deleteBox(objectId: number): Promise<EditReply | null> {
    return this.#boxEdit(objectId, null, 'boxes.delete', { objectId }, 'Could not delete the box')
  }

  /** Undoes the last edit (Ctrl+Z); while an edit is on its way the engine decides what is last. */
  undo(): Promise<EditReply | null> {
    const target = this.undoState.undo
    if (!target && this.inFlight === 0) return this.#nothing('Nothing to undo')
    if (target) this.#remember([target])
    return this.#edit('edits.undo', {}, 'Could not undo', `Undone: ${this.describe(target)}`, target ?? undefined)
  }

  /** Redoes the last undone edit (Ctrl+Shift+Z, Ctrl+Y). */
  redo(): Promise<EditReply | null> {
    const target = this.undoState.redo
    if (!target && this.inFlight === 0) return this.#nothing('Nothing to redo')
    return this.#edit('edits.redo', {}, 'Could not redo', `Redone: ${this.describe(target)}`, target ?? undefined)
  }

  #nothing(title: string): Promise<null> {
    this.#toasts?.show('info', title, undefined, 2500)
    return Promise.resolve(null)
  }

  async #boxEdit<C extends 'boxes.update' | 'boxes.delete'>(objectId: number, box: Box | null, channel: C, request: ApiRequest<C>, failure: string): Promise<EditReply | null> {
    this.pendingBoxes = { ...this.pendingBoxes, [objectId]: box }
    try {
      return await this.#edit(channel, request, failure)
    } finally {
      const { [objectId]: _done, ...rest } = this.pendingBoxes
      this.pendingBoxes = rest
    }
  }

  /**
   * Sends one edit; once answered, reads the open photo again (and its objects when boxes
   * changed). Undo/redo (`elsewhere` set) read it only when they changed it, else say which photo.
   */
  async #edit<C extends ApiChannel>(channel: C, request: ApiRequest<C>, failure: string, elsewhere?: string, reverts?: EditSummary): Promise<EditReply | null> {
    this.inFlight++
    this.status = 'saving'
    // One edit at a time, in the order the user made them: requests on separate connections could
    // reach the engine out of order (Delete then a quick Ctrl+Z must undo the delete).
    const sent = this.#sent.then(() => call(channel, request))
    this.#sent = sent.catch(() => undefined)
    try {
      const reply = (await sent) as EditReply
      if (reply.edit) this.#remember([{ ...reply.edit, reverts: reverts?.editId ?? null }])
      this.#setUndoState(reply.undoState)
      const photos = reply.edit?.photoIds ?? []
      if (this.photoId !== null && (photos.includes(this.photoId) || elsewhere === undefined)) {
        await this.reload()
        await this.#refresh
      } else if (elsewhere !== undefined && reply.edit) {
        this.#toasts?.show('info', elsewhere, `It changed ${photos.length === 1 ? `photo ${photos[0]}` : `${photos.length} photos`}, not this one.`)
      }
      this.savedAt = Date.now()
      if (this.inFlight === 1) this.status = 'saved'
      return reply
    } catch (err) {
      this.status = 'failed'
      this.#toasts?.error(failure, err)
      return null
    } finally {
      this.inFlight--
    }
  }
}
