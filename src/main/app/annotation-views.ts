/**
 * The annotation engine's results in the contract's records: edit replies with undo state, a
 * photo's annotations, review pages with file names, the correction log in words, name checks;
 * and the engine's refusals as API errors.
 */
import path from 'node:path'
import type {
  AnnotationBox, EditSummary, HistoryEntry, LabelInfo, PhotoAnnotationsView, ReviewPage, UndoState,
} from '../../shared/api-contract.js'
import { ApiError, type ApiErrorCode } from '../../shared/envelope.js'
import { AnnotationError, type AnnotationErrorCode } from '../engine/annotation/annotation-error.js'
import type { PhotoAnnotations, ReviewQueuePage } from '../engine/annotation/annotation-reads.js'
import type { Vocabulary } from '../engine/annotation/vocabulary.js'
import type { BoxSnapshot, CorrectionEntry, EditRecord, EditWithEntries, HumanLabelSnapshot } from '../engine/store/annotation-types.js'
import type { Box } from '../engine/store/types.js'

/** History lines kept per edit (a batch over thousands of photos says how many more). */
export const CHANGES_SHOWN = 20

const CODES: Record<AnnotationErrorCode, ApiErrorCode> = {
  'no-such-photo': 'not-found', 'no-such-object': 'not-found', 'no-such-class': 'not-found', 'no-such-edit': 'not-found',
  'bad-box': 'bad-request', 'bad-name': 'bad-request', 'no-word-vector': 'bad-request', conflict: 'bad-request',
  'nothing-to-undo': 'bad-request', 'nothing-to-redo': 'bad-request', 'bad-request': 'bad-request',
}

/** An annotation refusal as the API's error (its message kept: it says what to do); anything else unchanged. */
export function annotationApiError(err: unknown): unknown {
  if (err instanceof AnnotationError) return new ApiError(CODES[err.code] ?? 'bad-request', err.message)
  return err
}

/** An edit as the undo buttons show it. */
export function editSummary(edit: EditRecord, photoIds: number[]): EditSummary {
  return { editId: edit.id, action: edit.action, actor: edit.actor, at: edit.at, photoIds }
}

/** The photos an edit touched, in order of first change. */
export function editPhotoIds(edit: EditWithEntries): number[] {
  return [...new Set(edit.entries.map((e) => e.photoId))]
}

/** Undo/redo state with the photos of each edit. */
export function undoStateView(state: { undo: EditRecord | null; redo: EditRecord | null }, entriesOf: (editId: number) => EditWithEntries | undefined): UndoState {
  const view = (e: EditRecord | null) => {
    const full = e && entriesOf(e.id)
    return e ? editSummary(e, full ? editPhotoIds(full) : []) : null
  }
  return { undo: view(state.undo), redo: view(state.redo) }
}

/** A photo's annotations as the contract shows them. */
export function annotationsView(a: PhotoAnnotations, undoState: UndoState): PhotoAnnotationsView {
  const labels: LabelInfo[] = a.labels.map((l) => ({
    classId: l.classId, name: l.name, state: l.state, source: l.source, origin: l.origin, confidence: l.confidence,
    human: l.human && { state: l.human.state, origin: l.human.origin, updatedAt: l.human.updatedAt },
    model: l.model && { state: l.model.state, confidence: l.model.confidence },
  }))
  const boxes: AnnotationBox[] = a.boxes.map((b) => ({
    id: b.id, box: b.box, classId: b.classId, name: b.name, source: b.source, score: b.score,
    detectorOriginal: b.detectorOriginal && { box: b.detectorOriginal.box, classId: b.detectorOriginal.classId, score: b.detectorOriginal.score },
  }))
  return { photoId: a.photoId, width: a.width, height: a.height, reviewedAt: a.reviewedAt, labels, boxes, undoState }
}

/** A review page with the photos' file names. */
export function reviewPageView(page: ReviewQueuePage): ReviewPage {
  return {
    items: page.items.map((i) => ({
      photoId: i.photoId, name: path.basename(i.path), score: i.score, classId: i.classId, className: i.className,
      modelConfidence: i.modelConfidence, humanState: i.humanState,
    })),
    next: page.next,
  }
}

const px = (b: Box) => `[${b.map((v) => Math.round(v)).join(', ')}]`
const labelWords = (l: HumanLabelSnapshot | null, model: string) => (l ? `human ${l.state}${l.origin === 'boxes' ? ' (from boxes)' : ''}` : model)

/** One change in words, e.g. "dog: model positive → human negative" or "moved box dog [..] → [..]". */
export function changeInWords(e: CorrectionEntry, vocabulary: Vocabulary, modelState: (photoId: number, classId: number) => string): string {
  if (e.target === 'label') {
    const model = modelState(e.photoId, e.classId)
    return `${vocabulary.name(e.classId)}: ${labelWords(e.before, model)} → ${labelWords(e.after, model)}`
  }
  if (e.target === 'review') return e.after ? 'marked reviewed' : 'no longer marked reviewed'
  const name = (b: BoxSnapshot) => `${b.source === 'detector' ? 'detector ' : ''}box ${vocabulary.name(b.classId)}`
  if (!e.before && e.after) return `added ${name(e.after)} ${px(e.after.box)}`
  if (e.before && !e.after) return `deleted ${name(e.before)} ${px(e.before.box)}`
  const [b, a] = [e.before!, e.after!]
  const parts: string[] = []
  if (b.classId !== a.classId) parts.push(`relabelled ${name(b)} → ${vocabulary.name(a.classId)}`)
  if (px(b.box) !== px(a.box)) parts.push(`${parts.length ? 'and ' : ''}moved ${parts.length ? 'it' : name(b)} ${px(b.box)} → ${px(a.box)}`)
  return parts.join(' ') || `changed ${name(b)}`
}

/** A log entry with its changes in words (at most {@link CHANGES_SHOWN}, then how many more). */
export function historyEntry(edit: EditWithEntries, vocabulary: Vocabulary, modelState: (photoId: number, classId: number) => string): HistoryEntry {
  const changes = edit.entries.slice(0, CHANGES_SHOWN).map((e) => changeInWords(e, vocabulary, modelState))
  if (edit.entries.length > CHANGES_SHOWN) changes.push(`… and ${edit.entries.length - CHANGES_SHOWN} more changes`)
  return { ...editSummary(edit, editPhotoIds(edit)), changes, reverts: edit.reverts }
}
