/**
 * Label corrections through the annotation service on a real SQLite library of coco-dev photos:
 * states with source and origin, accept/reject/clear, names (COCO, VOC spellings, new GloVe words,
 * words GloVe lacks), batches, review marks, and the log and label_history they leave.
 */
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { AnnotationError } from '../../../../src/main/engine/annotation/annotation-error.js'
import { LibraryStore } from '../../../../src/main/engine/store/library-store.js'
import { addCocoPhotos, annotationService, useTempDirs } from './library-fixture.js'

const tempDir = useTempDirs()
const DOG = 16
const CAT = 15

async function setup(count = 3) {
  const store = LibraryStore.open(path.join(tempDir(), 'library.db'))
  const photos = await addCocoPhotos(store, count)
  return { store, photos, svc: annotationService(store, { defaultActor: 'ana' }) }
}

const humanRows = (store: LibraryStore) =>
  store.db.prepare("SELECT photo_id, class_id, state, origin FROM labels WHERE source = 'human' ORDER BY photo_id, class_id").all()

describe('label corrections', () => {
  it('sets, accepts, rejects and clears labels, each a logged edit with before and after', async () => {
    const { store, photos: [p], svc } = await setup(1)
    store.labels.setModelLabels(p.id, [{ classId: DOG, state: 'positive', confidence: 0.62, modelVersion: 'det@1' }])
    const accepted = svc.acceptLabel({ photoId: p.id, classId: DOG })
    expect(accepted).toMatchObject({ action: 'accept-label', actor: 'ana', photoIds: [p.id] })
    expect(accepted.entries).toEqual([expect.objectContaining({ target: 'label', classId: DOG, before: null, after: { state: 'positive', origin: 'hand' } })])
    const rejected = svc.rejectLabel({ photoId: p.id, classId: CAT, actor: 'ben' })
    expect(rejected.actor).toBe('ben')
    expect(svc.photoAnnotations(p.id).labels).toEqual([
      expect.objectContaining({ classId: CAT, name: 'cat', state: 'negative', source: 'human', origin: 'hand', model: null }),
      expect.objectContaining({ classId: DOG, name: 'dog', state: 'positive', source: 'human', confidence: 0.62, model: expect.objectContaining({ confidence: 0.62 }) }),
    ])
    // the same state again changes nothing and logs nothing
    expect(svc.acceptLabel({ photoId: p.id, classId: DOG }).editId).toBeNull()
    const cleared = svc.clearLabel({ photoId: p.id, classId: DOG })
    expect(cleared.entries[0]).toMatchObject({ before: { state: 'positive', origin: 'hand' }, after: null })
    expect(svc.photoAnnotations(p.id).labels.find((l) => l.classId === DOG)).toMatchObject({ state: 'positive', source: 'model', human: null })
    expect(store.labels.history(p.id).map((h) => [h.classId, h.oldState, h.oldSource, h.newState, h.actor])).toEqual([
      [DOG, 'positive', 'model', 'positive', 'ana'], [CAT, null, null, 'negative', 'ben'], [DOG, 'positive', 'human', 'positive', 'ana'],
    ])
    expect(svc.history().map((e) => e.action)).toEqual(['clear-label', 'reject-label', 'accept-label'])
    store.close()
  })

  it('adds labels by name: COCO names, VOC spellings, new words GloVe knows, and says when it knows none', async () => {
    const { store, photos: [p], svc } = await setup(1)
    expect(svc.addLabel({ photoId: p.id, name: 'Dining_Table' })).toMatchObject({ classId: 60 })
    expect(svc.addLabel({ photoId: p.id, name: 'motorbike' })).toMatchObject({ classId: 3 })
    expect(svc.addLabel({ photoId: p.id, name: 'tvmonitor' })).toMatchObject({ classId: 62 })
    const lamp = svc.addLabel({ photoId: p.id, name: 'Desk Lamp' })
    expect(lamp).toMatchObject({ classId: 1000, vocabularyAdded: { classId: 1000, name: 'desk lamp', addedBy: 'ana' } })
    expect(svc.addLabel({ photoId: p.id, name: 'desk  lamp', actor: 'ben' })).toMatchObject({ classId: 1000, editId: null })
    expect(svc.vocabulary.complete('desk')).toEqual([{ classId: 1000, name: 'desk lamp', custom: true }])
    expect(svc.vocabulary.complete('ca').map((i) => i.name)).toEqual(['car', 'cat', 'carrot', 'cake', 'suitcase'])
    let error: unknown
    try {
      svc.addLabel({ photoId: p.id, name: 'glorbix widget' })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(AnnotationError)
    expect((error as AnnotationError).code).toBe('no-word-vector')
    expect((error as AnnotationError).message).toMatch(/GloVe has no vector for "glorbix" \(in "glorbix widget"\)/)
    expect(svc.vocabulary.items()).toHaveLength(81)
    expect(svc.vocabulary.lookup('glorbix')).toMatchObject({ kind: 'no-vector', word: 'glorbix' })
    expect(svc.vocabulary.lookup('teapot')).toEqual({ kind: 'new', name: 'teapot' })
    expect(humanRows(store)).toEqual([3, 60, 62, 1000].map((c) => ({ photo_id: p.id, class_id: c, state: 'positive', origin: 'hand' })))
    store.close()
  })

  it('applies a batch to a selection as one edit, and accept only where the model says positive', async () => {
    const { store, photos, svc } = await setup(3)
    const ids = photos.map((p) => p.id)
    store.labels.setModelLabels(ids[1], [{ classId: CAT, state: 'positive', confidence: 0.4, modelVersion: 'det@1' }])
    const accept = svc.batchLabel({ photoIds: ids, classId: CAT, op: 'accept' })
    expect(accept.photoIds).toEqual([ids[1]])
    const add = svc.batchLabel({ photoIds: ids, classId: DOG, op: 'add' })
    expect(add).toMatchObject({ action: 'batch-add', photoIds: ids })
    svc.batchLabel({ photoIds: [ids[0], ids[2]], classId: DOG, op: 'remove' })
    expect(humanRows(store)).toEqual([
      { photo_id: ids[0], class_id: DOG, state: 'negative', origin: 'hand' },
      { photo_id: ids[1], class_id: CAT, state: 'positive', origin: 'hand' },
      { photo_id: ids[1], class_id: DOG, state: 'positive', origin: 'hand' },
      { photo_id: ids[2], class_id: DOG, state: 'negative', origin: 'hand' },
    ])
    expect(() => svc.batchLabel({ photoIds: [ids[0], 999], classId: CAT, op: 'add' })).toThrow(/photo 999 is not in the library/)
    expect(humanRows(store)).toHaveLength(4) // the failed batch wrote nothing
    expect(() => svc.setLabel({ photoId: ids[0], classId: 500, state: 'positive' })).toThrow(/class 500 is not in the vocabulary/)
    store.close()
  })

  it('marks photos reviewed as an undoable edit', async () => {
    const { store, photos, svc } = await setup(2)
    let t = 1_700_000_000_000
    const timed = annotationService(store, { now: () => t++ })
    const r = timed.markReviewed({ photoIds: photos.map((p) => p.id) })
    expect(r.entries.map((e) => e.after)).toEqual([{ reviewedAt: expect.any(Number) }, { reviewedAt: expect.any(Number) }])
    expect(svc.photoAnnotations(photos[0].id).reviewedAt).toBeGreaterThanOrEqual(1_700_000_000_000)
    timed.undo({ actor: 'user' })
    expect(svc.photoAnnotations(photos[0].id).reviewedAt).toBeNull()
    store.close()
  })

  it('keeps the log append-only', async () => {
    const { store, photos: [p], svc } = await setup(1)
    svc.acceptLabel({ photoId: p.id, classId: DOG })
    expect(() => store.db.prepare('UPDATE corrections SET after = NULL').run()).toThrow(/append-only/)
    expect(() => store.db.prepare('DELETE FROM edits').run()).toThrow(/append-only/)
    store.close()
  })
})
