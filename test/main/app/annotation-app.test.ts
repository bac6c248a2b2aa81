/**
 * Annotation through the API over a real library the app indexed (coco-dev photos, the real
 * models): label states and boxes, names added with GloVe, undo/redo, the correction log in words,
 * the review queue, what the photo view shows after edits, `library.changed` after each edit, and
 * the object index kept in step with deleted and restored boxes.
 */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiChannel, ApiRequest } from '../../../src/shared/api-contract.js'
import { copyPhotos, jobsDone, startApp, type AppFixture } from './app-fixture.js'

let app: AppFixture
let photoIds: number[]

/** The error code and message of a call that must fail. */
async function failure<C extends ApiChannel>(channel: C, request: ApiRequest<C>): Promise<{ code: string; message: string }> {
  const reply = await app.api.call(channel, request)
  if (reply.ok) throw new Error(`${channel} should have failed`)
  return reply.error
}

const labelsChanged = () => app.events.flatMap((m) => (m.event === 'library.changed' && m.payload.reason === 'labels' ? [m.payload] : []))

beforeAll(async () => {
  app = await startApp()
  const dir = path.join(app.root, 'photos')
  copyPhotos(dir, 4)
  await app.call('folders.add', { path: dir })
  await jobsDone(app)
  photoIds = (await app.call('photos.list', { sort: { key: 'name', order: 'asc' } })).items.map((c) => c.id)
  expect(photoIds).toHaveLength(4)
}, 180_000)

afterAll(async () => app?.cleanup())

describe('annotation channels', () => {
  it('rejects and accepts labels, shows them in the photo view, and reports the change', async () => {
    const [photoId] = photoIds
    const before = await app.call('annotations.get', { photoId })
    const modelPositive = before.labels.find((l) => l.source === 'model' && l.state === 'positive')!
    expect(modelPositive).toBeDefined()
    expect(before.boxes.length).toBeGreaterThan(0)
    const events = labelsChanged().length

    const reply = await app.call('labels.set', { photoId, classId: modelPositive.classId, state: 'negative' })
    expect(reply.edit).toMatchObject({ action: 'reject-label', photoIds: [photoId] })
    expect(reply.undoState.undo?.editId).toBe(reply.edit!.editId)
    expect(labelsChanged()).toHaveLength(events + 1)
    expect(labelsChanged().at(-1)!.photoIds).toEqual([photoId])

    const after = await app.call('annotations.get', { photoId })
    expect(after.labels.find((l) => l.classId === modelPositive.classId)).toMatchObject({
      state: 'negative', source: 'human', origin: 'hand', human: { state: 'negative', origin: 'hand' }, model: { state: 'positive' },
    })
    const shown = (await app.call('photos.get', { id: photoId })).labels.find((l) => l.classId === modelPositive.classId)
    expect(shown).toMatchObject({ state: 'negative', source: 'human' })

    const history = await app.call('edits.history', { photoId })
    expect(history[0].changes).toEqual([`${modelPositive.name}: model positive → human negative`])

    const same = await app.call('labels.set', { photoId, classId: modelPositive.classId, state: 'negative' })
    expect(same.edit).toBeNull()
  })

  it('adds labels by name: a class under another spelling, a new name GloVe knows, not one it lacks', async () => {
    const photoId = photoIds[1]
    const known = await app.call('labels.add', { photoId, name: 'Motorbike' })
    expect(known.classId).toBe((await app.call('vocabulary.list', {})).find((v) => v.name === 'motorcycle')!.classId)
    expect(known.vocabularyAdded).toBeUndefined()

    expect(await app.call('vocabulary.check', { name: 'sofa' })).toMatchObject({ kind: 'known', name: 'couch' })
    expect(await app.call('vocabulary.check', { name: 'lighthouse' })).toEqual({ kind: 'new', name: 'lighthouse' })
    const added = await app.call('labels.add', { photoId, name: 'lighthouse' })
    expect(added.vocabularyAdded).toEqual({ classId: added.classId, name: 'lighthouse' })
    expect((await app.call('vocabulary.list', {})).find((v) => v.name === 'lighthouse')).toMatchObject({ custom: true })
    expect((await app.call('annotations.get', { photoId })).labels.find((l) => l.name === 'lighthouse')).toMatchObject({ state: 'positive', source: 'human' })
    expect((await app.call('photos.get', { id: photoId })).labels.find((l) => l.classId === added.classId)).toMatchObject({ className: 'lighthouse', state: 'positive' })

    const check = await app.call('vocabulary.check', { name: 'old qzxvbnm' })
    expect(check).toMatchObject({ kind: 'no-vector', word: 'qzxvbnm' })
    const refused = await failure('labels.add', { photoId, name: 'old qzxvbnm' })
    expect(refused.code).toBe('bad-request')
    expect(refused.message).toContain('"qzxvbnm"')
  })

  it('draws, moves and deletes boxes; a deleted box leaves object search and comes back with undo', async () => {
    const photoId = photoIds[2]
    const view = await app.call('annotations.get', { photoId })
    const index = app.engine.library.indexes.objects
    const detector = view.boxes.find((b) => b.source === 'detector' && index.has(b.id))!
    expect(detector).toBeDefined()

    const drawn = await app.call('boxes.add', { photoId, box: [10, 10, 60, 80], classId: 16 })
    expect(drawn.objectId).toBeGreaterThan(0)
    const moved = await app.call('boxes.update', { objectId: drawn.objectId!, box: [20, 20, 70, 90] })
    expect(moved.edit?.action).toBe('move-box')
    const boxes = (await app.call('annotations.get', { photoId })).boxes
    expect(boxes.find((b) => b.id === drawn.objectId)).toMatchObject({ box: [20, 20, 70, 90], source: 'human', name: 'dog' })
    expect((await app.call('photos.get', { id: photoId })).objects.some((o) => o.id === drawn.objectId && o.source === 'human')).toBe(true)

    await app.call('boxes.delete', { objectId: detector.id })
    expect(index.has(detector.id)).toBe(false)
    const search = await app.call('search.run', { query: { kind: 'photo', photoId }, k: 10 })
    expect(search.results.flatMap((r) => r.explanation.matches.map((m) => m.resultObjectId))).not.toContain(detector.id)
    expect((await app.call('photos.get', { id: photoId })).objects.flatMap((o) => o.memberIds)).not.toContain(detector.id)
    const history = await app.call('edits.history', { photoId, limit: 1 })
    expect(history[0].changes[0]).toMatch(/^deleted detector box /)

    const undone = await app.call('edits.undo', {})
    expect(undone.edit).toMatchObject({ action: 'undo' })
    expect(index.has(detector.id)).toBe(true)
    expect((await app.call('annotations.get', { photoId })).boxes.some((b) => b.id === detector.id)).toBe(true)
    const redone = await app.call('edits.redo', {})
    expect(redone.edit).toMatchObject({ action: 'redo' })
    expect(index.has(detector.id)).toBe(false)
    const nothing = await failure('edits.redo', {})
    expect(nothing).toMatchObject({ code: 'bad-request', message: 'there is nothing to redo' })

    expect((await failure('boxes.delete', { objectId: 999_999 })).code).toBe('not-found')
    expect((await failure('boxes.add', { photoId: 999_999, box: [1, 1, 5, 5], classId: 0 })).code).toBe('not-found')
    expect((await failure('boxes.add', { photoId, box: [100_000, 100_000, 100_010, 100_010], classId: 0 })).code).toBe('bad-request')
  })

  it('batches a label over a selection as one undo step, marks photos reviewed, and pages the review queue', async () => {
    const batch = await app.call('labels.batch', { photoIds, classId: 5, op: 'remove' })
    expect(batch.edit?.photoIds.sort()).toEqual([...photoIds].sort())
    const state = await app.call('edits.state', {})
    expect(state.undo?.editId).toBe(batch.edit!.editId)
    expect(state.undo?.photoIds.sort()).toEqual([...photoIds].sort())
    for (const id of photoIds) expect((await app.call('annotations.get', { photoId: id })).labels.find((l) => l.classId === 5)?.state).toBe('negative')
    await app.call('edits.undo', {})
    const reviewed = await app.call('photos.review', { photoIds: [photoIds[3]] })
    expect(reviewed.edit?.action).toBe('review')
    expect((await app.call('annotations.get', { photoId: photoIds[3] })).reviewedAt).toBeGreaterThan(0)

    const page = await app.call('review.queue', { order: 'uncertainty', limit: 2 })
    expect(page.items.length).toBeGreaterThan(0)
    expect(page.items.every((i) => i.name.endsWith('.jpg') && i.score >= 0 && i.score <= 1 && i.photoId !== photoIds[3])).toBe(true)
    if (page.next) {
      const more = await app.call('review.queue', { order: 'uncertainty', limit: 2, cursor: page.next })
      expect(more.items.map((i) => `${i.photoId}:${i.classId}`)).not.toContain(`${page.items[0].photoId}:${page.items[0].classId}`)
    }
    const disagreement = await app.call('review.queue', { order: 'disagreement', limit: 10, includeReviewed: true })
    expect(disagreement.items.some((i) => i.photoId === photoIds[0] && i.humanState === 'negative')).toBe(true)
  })
})
