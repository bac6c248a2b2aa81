/**
 * Box corrections: drawing, moving, relabelling and deleting boxes, detector objects with their
 * other class guesses, labels that follow the boxes unless set by hand, and undo/redo that restore
 * every row exactly (vectors and features of deleted detector boxes included).
 */
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { LibraryStore } from '../../../../src/main/engine/store/library-store.js'
import type { Box } from '../../../../src/main/engine/store/types.js'
import { addCocoPhotos, annotationService, useTempDirs } from './library-fixture.js'

const tempDir = useTempDirs()
const [PERSON, HORSE, SHEEP, COW, DOG] = [0, 17, 18, 19, 16]
const ANIMAL: Box = [100, 120, 300, 280]

/** One photo whose detector saw an animal as sheep 0.40, cow 0.38 and horse 0.30 on one box, and a person. */
async function setup() {
  const store = LibraryStore.open(path.join(tempDir(), 'library.db'))
  const [p] = await addCocoPhotos(store, 1)
  const detection = (classId: number, score: number, box: Box = ANIMAL) => ({
    box, classId, score, modelVersion: 'det@1', features: Float32Array.from({ length: 8 }, (_, i) => classId + i / 10),
    embeddings: [{ method: 'gat-object', modelVersion: 'head@1', vector: Float32Array.from({ length: 4 }, (_, i) => score + i) }],
  })
  store.saveAnalysis(p.id, {
    photo: { width: p.image.width, height: p.image.height, format: 'jpeg' },
    objects: [detection(SHEEP, 0.4), detection(COW, 0.38, [102, 118, 301, 282]), detection(HORSE, 0.3), detection(PERSON, 0.9, [400, 50, 500, 300])],
    labels: [[SHEEP, 0.4], [COW, 0.38], [HORSE, 0.3], [PERSON, 0.9]].map(([classId, confidence]) => ({ classId, state: 'positive' as const, confidence, modelVersion: 'det@1' })),
    embeddings: [],
  })
  return { store, p, svc: annotationService(store) }
}

/** Everything an edit may change, as plain rows (to compare before and after undo). */
function dump(store: LibraryStore) {
  return {
    objects: store.db.prepare('SELECT id, x1, y1, x2, y2, class_id, score, source, model_version, detector_original, hex(features) AS f FROM objects ORDER BY id').all(),
    vectors: store.db.prepare('SELECT object_id, method, hex(vector) AS v FROM embeddings ORDER BY object_id, method').all(),
    labels: store.db.prepare('SELECT class_id, source, state, origin, confidence FROM labels ORDER BY class_id, source').all(),
    count: store.db.prepare('SELECT object_count FROM photos').pluck().get(),
  }
}

const idOf = (store: LibraryStore, classId: number) => store.db.prepare('SELECT id FROM objects WHERE class_id = ?').pluck().get(classId) as number
const human = (store: LibraryStore, classId: number) =>
  store.db.prepare("SELECT state, origin FROM labels WHERE class_id = ? AND source = 'human'").get(classId) ?? null

describe('box corrections', () => {
  it('relabels a detector object: a human box with the same id remembering the detector, its other guesses gone, labels following', async () => {
    const { store, svc } = await setup()
    const original = dump(store)
    expect(original.count).toBe(2)
    const [sheep, cow, horse] = [idOf(store, SHEEP), idOf(store, COW), idOf(store, HORSE)]
    const r = svc.updateBox({ objectId: sheep, classId: HORSE })
    expect(r).toMatchObject({ action: 'relabel-box', objectId: sheep })
    expect(r.removedObjectIds.sort()).toEqual([cow, horse].sort())
    const box = svc.photoAnnotations(r.photoIds[0]).boxes.find((b) => b.id === sheep)!
    expect(box).toMatchObject({ classId: HORSE, name: 'horse', source: 'human', score: null, box: ANIMAL,
      detectorOriginal: { box: ANIMAL, classId: SHEEP, score: 0.4, modelVersion: 'det@1' } })
    expect(dump(store).count).toBe(2)
    // the model still claims sheep and cow, but the person's box says horse
    expect([human(store, HORSE), human(store, SHEEP), human(store, COW)]).toEqual([
      { state: 'positive', origin: 'boxes' }, { state: 'negative', origin: 'boxes' }, { state: 'negative', origin: 'boxes' }])
    expect(human(store, PERSON)).toBeNull()

    const undo = svc.undo()
    expect(undo).toMatchObject({ action: 'undo', addedObjectIds: expect.arrayContaining(r.removedObjectIds) })
    expect(dump(store)).toEqual(original) // ids, features, vectors, labels, count: all back
    svc.redo()
    expect(human(store, HORSE)).toEqual({ state: 'positive', origin: 'boxes' })
    svc.undo()
    expect(dump(store)).toEqual(original)
    store.close()
  })

  it('follows the class evidence of objects merged at one place (one row per object, alternatives in its evidence)', async () => {
    const store = LibraryStore.open(path.join(tempDir(), 'library.db'))
    const [p] = await addCocoPhotos(store, 1)
    const evidence = (scores: Record<number, number>) => Float32Array.from({ length: 80 }, (_, c) => scores[c] ?? 0)
    const object = (classId: number, box: Box, scores: Record<number, number>) => ({
      box, classId, score: scores[classId], modelVersion: 'det@1', embeddings: [{ method: 'class-evidence', modelVersion: 'det@1', vector: evidence(scores) }],
    })
    store.saveAnalysis(p.id, {
      photo: { width: p.image.width, height: p.image.height, format: 'jpeg' },
      // an animal seen as sheep 0.40 / cow 0.38 / horse 0.30, and a second animal seen as horse 0.5 / cow 0.3
      objects: [object(SHEEP, ANIMAL, { [SHEEP]: 0.4, [COW]: 0.38, [HORSE]: 0.3 }), object(HORSE, [350, 100, 500, 300], { [HORSE]: 0.5, [COW]: 0.3 })],
      labels: [[SHEEP, 0.4], [COW, 0.38], [HORSE, 0.5]].map(([classId, confidence]) => ({ classId, state: 'positive' as const, confidence, modelVersion: 'det@1' })),
      embeddings: [],
    })
    const svc = annotationService(store)
    const [first, second] = [idOf(store, SHEEP), idOf(store, HORSE)]
    svc.updateBox({ objectId: first, classId: HORSE })
    // sheep: no longer shown anywhere; cow: still an alternative of the second animal, so the model's label stands
    expect([human(store, HORSE), human(store, SHEEP), human(store, COW)]).toEqual([
      { state: 'positive', origin: 'boxes' }, { state: 'negative', origin: 'boxes' }, null])
    svc.deleteBox({ objectId: second })
    expect(human(store, COW)).toEqual({ state: 'negative', origin: 'boxes' }) // the model claims a cow nothing shows now
    expect(human(store, HORSE)).toEqual({ state: 'positive', origin: 'boxes' }) // the person's horse box
    store.close()
  })

  it('draws, moves and deletes human boxes; the label follows the boxes unless set by hand', async () => {
    const { store, p, svc } = await setup()
    const drawn = svc.addBox({ photoId: p.id, box: [10, 10, 60, 90], classId: DOG })
    expect(human(store, DOG)).toEqual({ state: 'positive', origin: 'boxes' })
    const moved = svc.updateBox({ objectId: drawn.objectId, box: [20, 15, 70, 95.5] })
    expect(moved.action).toBe('move-box')
    expect(moved.entries).toEqual([expect.objectContaining({ target: 'box', before: expect.objectContaining({ box: [10, 10, 60, 90] }), after: expect.objectContaining({ box: [20, 15, 70, 95.5] }) })])
    // clamped to the photo (640 x 426)
    const big = svc.addBox({ photoId: p.id, box: [600, 400, 700, 500], classId: DOG })
    expect(svc.photoAnnotations(p.id).boxes.find((b) => b.id === big.objectId)!.box).toEqual([600, 400, 640, 426])
    expect(() => svc.addBox({ photoId: p.id, box: [650, 10, 700, 20], classId: DOG })).toThrow(/empty within the photo/)
    svc.deleteBox({ objectId: big.objectId })
    svc.deleteBox({ objectId: drawn.objectId })
    expect(human(store, DOG)).toBeNull() // the model never claimed a dog: back to no label
    // deleting the only person box: the model claims a person, so the person's verdict is "no person"
    svc.deleteBox({ objectId: idOf(store, PERSON) })
    expect(human(store, PERSON)).toEqual({ state: 'negative', origin: 'boxes' })
    // set by hand: boxes no longer change it
    svc.setLabel({ photoId: p.id, classId: DOG, state: 'negative' })
    svc.addBox({ photoId: p.id, box: [10, 10, 60, 90], classId: DOG })
    expect(human(store, DOG)).toEqual({ state: 'negative', origin: 'hand' })
    // clearing the hand label: the human dog box decides again
    svc.clearLabel({ photoId: p.id, classId: DOG })
    expect(human(store, DOG)).toEqual({ state: 'positive', origin: 'boxes' })
    store.close()
  })

  it('undoes and redoes a linear history that survives reopening, and refuses a revert that would undo a later edit', async () => {
    const { store, p, svc } = await setup()
    const file = store.file
    const a = svc.addBox({ photoId: p.id, box: [10, 10, 60, 90], classId: DOG })
    svc.updateBox({ objectId: a.objectId, box: [11, 11, 61, 91] })
    svc.setLabel({ photoId: p.id, classId: COW, state: 'negative' })
    expect(svc.undoState().undo?.action).toBe('set-label')
    svc.undo()
    svc.undo()
    expect(svc.photoAnnotations(p.id).boxes.find((b) => b.id === a.objectId)!.box).toEqual([10, 10, 60, 90])
    // the box is as the add left it, so the add can be reverted: the same as a third undo
    expect(svc.revert({ editId: a.editId! })).toMatchObject({ action: 'undo', removedObjectIds: [a.objectId] })
    expect(() => svc.undo()).toThrow(/nothing to undo/)
    expect(svc.redo()).toMatchObject({ action: 'redo', addedObjectIds: [a.objectId] })
    store.close()

    const again = LibraryStore.open(file)
    const svc2 = annotationService(again)
    expect(svc2.undoState()).toMatchObject({ undo: { action: 'redo' }, redo: { action: 'undo' } })
    expect(svc2.photoAnnotations(p.id).boxes.some((b) => b.id === a.objectId)).toBe(true)
    svc2.updateBox({ objectId: a.objectId, classId: HORSE })
    expect(svc2.undoState().redo).toBeNull() // a new edit clears redo
    expect(() => svc2.revert({ editId: a.editId! })).toThrow(/was changed by a later edit/)
    expect(() => svc2.redo()).toThrow(/nothing to redo/)
    expect(() => svc2.undo({ actor: 'someone-else' })).toThrow(/nothing to undo/)
    again.close()
  })
})
