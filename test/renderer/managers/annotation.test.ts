import { mockApi, settle } from '../support/mock-api.js'
import { beforeEach, describe, expect, it } from 'vitest'
import { AnnotationManager, describeEdit, labelOrder } from '../../../src/renderer/lib/managers/annotation.svelte.js'
import type { AnnotationBox, EditReply, LabelInfo, PhotoAnnotationsView, UndoState } from '../../../src/shared/api-contract.js'
import type { Box } from '../../../src/shared/domain.js'

const label = (classId: number, name: string, state: LabelInfo['state'], confidence: number | null, human = false): LabelInfo => ({
  classId, name, state, source: human ? 'human' : 'model', origin: human ? 'hand' : null, confidence,
  human: human ? { state, origin: 'hand', updatedAt: 1 } : null, model: confidence === null ? null : { state: 'positive', confidence },
})
const box = (id: number, b: Box, classId = 16): AnnotationBox => ({ id, box: b, classId, name: 'dog', source: 'detector', score: 0.8, detectorOriginal: null })

/** A small engine in memory: one photo's labels and boxes, edits that change them and log undo. */
function fakeEngine() {
  const view: PhotoAnnotationsView = {
    photoId: 7, width: 640, height: 480, reviewedAt: null,
    labels: [label(2, 'car', 'positive', 0.4), label(16, 'dog', 'positive', 0.9), label(0, 'person', 'negative', 0.1)],
    boxes: [box(11, [10, 10, 100, 100])], undoState: { undo: null, redo: null },
  }
  let next = 1
  const reply = (action: string, photoIds = [7]): EditReply => {
    const edit = { editId: next++, action, actor: 'user', at: 1, photoIds }
    view.undoState = { undo: edit, redo: null } satisfies UndoState
    return { edit, undoState: view.undoState }
  }
  mockApi.handle('annotations.get', ({ photoId }) => ({ ...view, photoId }))
  mockApi.handle('vocabulary.list', () => [{ classId: 0, name: 'person', custom: false }, { classId: 16, name: 'dog', custom: false }])
  mockApi.handle('labels.set', ({ classId, state }) => {
    const l = view.labels.find((x) => x.classId === classId)!
    Object.assign(l, { state: state ?? 'positive', source: state ? 'human' : 'model' })
    return reply('set-label')
  })
  mockApi.handle('boxes.update', ({ objectId, box: b }) => {
    view.boxes = view.boxes.map((x) => (x.id === objectId && b ? { ...x, box: b, source: 'human' } : x))
    return { ...reply('move-box'), objectId }
  })
  return view
}

/** Answers `labels.set` with a reject-label edit only once the returned `release` is called. */
function holdLabelReply(view: PhotoAnnotationsView, editId: number): () => void {
  let release!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  const edit = { editId, action: 'reject-label', actor: 'user', at: 1, photoIds: [7] }
  mockApi.handle('labels.set', async () => {
    await gate
    view.undoState = { undo: edit, redo: null }
    return { edit, undoState: view.undoState }
  })
  return release
}

describe('AnnotationManager', () => {
  beforeEach(() => mockApi.reset())

  it('orders label rows: present, unknown, absent; then by model confidence', () => {
    const rows = labelOrder([label(0, 'person', 'negative', 0.1), label(2, 'car', 'positive', 0.4), label(5, 'bus', 'unknown', null), label(16, 'dog', 'positive', 0.9)])
    expect(rows.map((r) => r.name)).toEqual(['dog', 'car', 'bus', 'person'])
    expect(describeEdit({ editId: 1, action: 'accept-label', actor: 'u', at: 0, photoIds: [] })).toBe('accept label')
    expect(describeEdit(null)).toBe('')
  })

  it('opens a photo: its labels, the vocabulary, undo state and the first row focused', async () => {
    fakeEngine()
    const m = new AnnotationManager()
    await m.open(7)
    await settle()
    expect(m.labels.map((l) => l.name)).toEqual(['dog', 'car', 'person'])
    expect(m.focusedClass).toBe(16)
    expect(m.classNames[16]).toBe('dog')
    expect(m.reviewed).toBe(false)
  })

  it('shows an edit as saved only after its reply, then with the engine’s new state', async () => {
    const view = fakeEngine()
    const m = new AnnotationManager()
    await m.open(7)
    const release = holdLabelReply(view, 9)
    const saving = m.setLabel(2, 'negative')
    await settle()
    expect([m.status, m.inFlight]).toEqual(['saving', 1])
    release()
    await saving
    expect([m.status, m.inFlight]).toEqual(['saved', 0])
    expect(describeEdit(m.undoState.undo)).toBe('reject label')
    expect(mockApi.callsOf('annotations.get').length).toBe(2)
  })

  it('sends edits one at a time, in order: a quick undo waits for the edit before it', async () => {
    const view = fakeEngine()
    const m = new AnnotationManager()
    await m.open(7)
    const release = holdLabelReply(view, 5)
    mockApi.handle('edits.undo', () => ({ edit: { editId: 6, action: 'undo', actor: 'user', at: 2, photoIds: [7] }, undoState: { undo: null, redo: null } }))
    const rejecting = m.setLabel(2, 'negative')
    const undoing = m.undo()
    await settle()
    expect(mockApi.callsOf('labels.set')).toHaveLength(1)
    expect(mockApi.callsOf('edits.undo')).toHaveLength(0) // not sent before the label's answer
    release()
    await Promise.all([rejecting, undoing])
    expect(mockApi.callsOf('edits.undo')).toHaveLength(1)
  })

  it('turns a failed edit into an error toast and a failed status', async () => {
    fakeEngine()
    const shown: string[] = []
    const m = new AnnotationManager({ toasts: { error: (t, e) => shown.push(`${t}: ${(e as Error).message}`), show: () => 0 } })
    await m.open(7)
    mockApi.fail('labels.add', 'GloVe has no vector for “zorblax”', 'bad-request')
    expect(await m.addLabel('zorblax')).toBeNull()
    expect(m.status).toBe('failed')
    expect(shown).toEqual(['Could not add “zorblax”: GloVe has no vector for “zorblax”'])
  })

  it('keeps a moved box where it was dropped until the photo view has read it again', async () => {
    const view = fakeEngine()
    const refreshed: number[] = []
    let pendingDuringRefresh: unknown = null
    const m = new AnnotationManager({
      refreshPhoto: async (id) => {
        pendingDuringRefresh = m.pendingBoxes[11]
        refreshed.push(id)
      },
    })
    await m.open(7)
    const moving = m.moveBox(11, [20, 20, 110, 110])
    expect(m.pendingBoxes[11]).toEqual([20, 20, 110, 110])
    await moving
    expect(view.boxes[0].box).toEqual([20, 20, 110, 110])
    expect(refreshed).toEqual([7])
    expect(pendingDuringRefresh).toEqual([20, 20, 110, 110])
    expect(m.pendingBoxes).toEqual({})
  })

  it('reloads on a labels event for its photo only, and says when there is nothing to undo', async () => {
    fakeEngine()
    const infos: string[] = []
    const m = new AnnotationManager({ toasts: { error: () => 0, show: (_k, t) => (infos.push(t), 0) } })
    await m.open(7)
    const before = mockApi.callsOf('annotations.get').length
    m.onLibraryChanged({ reason: 'labels', photoIds: [8] })
    m.onLibraryChanged({ reason: 'indexed', photoIds: [7] })
    m.onLibraryChanged({ reason: 'labels', photoIds: [7, 8] })
    await settle()
    expect(mockApi.callsOf('annotations.get').length).toBe(before + 1)
    // Closed (the photo view left it): events for it no longer reload; closing another photo is a no-op.
    m.close(8)
    expect(m.photoId).toBe(7)
    m.close(7)
    m.onLibraryChanged({ reason: 'labels', photoIds: [7] })
    await settle()
    expect(mockApi.callsOf('annotations.get').length).toBe(before + 1)
    expect(await m.undo()).toBeNull()
    expect(infos).toEqual(['Nothing to undo'])
    expect(mockApi.callsOf('edits.undo')).toEqual([])
  })

  it('undo that changes another photo leaves this one alone and says which photo changed', async () => {
    fakeEngine()
    const infos: string[] = []
    const m = new AnnotationManager({ toasts: { error: () => 0, show: (_k, t, msg) => (infos.push(`${t} · ${msg}`), 0) } })
    await m.open(7)
    const edit = { editId: 3, action: 'add-box', actor: 'user', at: 1, photoIds: [9] }
    m.undoState = { undo: edit, redo: null }
    const undoEdit = { ...edit, editId: 4, action: 'undo' }
    mockApi.handle('edits.undo', () => ({ edit: undoEdit, undoState: { undo: null, redo: undoEdit } }))
    const loads = mockApi.callsOf('annotations.get').length
    await m.undo()
    expect(mockApi.callsOf('annotations.get').length).toBe(loads)
    // Redo names the edit the undo reverted, not "undo".
    expect(m.undoState.redo?.editId).toBe(4)
    expect(m.describe(m.undoState.redo)).toBe('add box')
    expect(m.describe({ ...undoEdit, editId: 99 })).toBe('the last undo')
    expect(infos).toEqual(['Undone: add box · It changed photo 9, not this one.'])
  })
})
