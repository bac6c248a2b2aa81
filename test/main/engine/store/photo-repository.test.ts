import { afterEach, describe, expect, it } from 'vitest'
import { LibraryStore } from '../../../../src/main/engine/store/library-store.js'
import { analysisOf, photoPath, scannedFile } from './fixtures/synthetic-library.js'
import { useTempDb } from './helpers.js'

const tempDb = useTempDb()
const stores: LibraryStore[] = []
afterEach(() => stores.splice(0).forEach((s) => s.close()))

function open(): LibraryStore {
  const store = LibraryStore.open(tempDb(), { now: () => 1234 })
  stores.push(store)
  return store
}

const present = () => false
const counts = (s: LibraryStore, photoId: number) => ({
  objects: s.objects.countByPhoto(photoId),
  labels: s.labels.listByPhoto(photoId).length,
  vectors: s.db.prepare('SELECT count(*) AS n FROM embeddings WHERE photo_id = ?').pluck().get(photoId),
})

describe('photos and scans', () => {
  it('records a new photo as pending, then an unchanged rescan as unchanged', () => {
    const s = open()
    const run = s.runs.start('index').id
    const first = s.recordScan(scannedFile(1), run, present)
    expect(first.change).toBe('new')
    expect(first.photo).toMatchObject({ path: photoPath(1), status: 'pending', runId: run, error: null })
    s.saveAnalysis(first.photo.id, analysisOf(1))
    const run2 = s.runs.start('index').id
    const again = s.recordScan(scannedFile(1), run2, present)
    expect(again).toMatchObject({ change: 'unchanged', photo: { id: first.photo.id, status: 'indexed', runId: run2 } })
    expect(s.photos.findByPath(photoPath(1))?.id).toBe(first.photo.id)
  })

  it('sends a modified photo back to pending and drops its model analysis but not human work', () => {
    const s = open()
    const run = s.runs.start('index').id
    const { photo } = s.recordScan(scannedFile(1), run, present)
    s.saveAnalysis(photo.id, analysisOf(1))
    s.labels.correct({ photoId: photo.id, classId: 7, state: 'positive', actor: 'ana' })
    const humanBox = s.objects.addHuman(photo.id, [1, 1, 2, 2], 7)
    const edited = { ...scannedFile(1), contentHash: 'f'.repeat(64), bytes: 1 }
    const outcome = s.recordScan(edited, run, present)
    expect(outcome.change).toBe('modified')
    expect(outcome.photo).toMatchObject({ id: photo.id, status: 'pending', width: null, contentHash: 'f'.repeat(64) })
    expect(s.objects.listByPhoto(photo.id).map((o) => o.id)).toEqual([humanBox])
    expect(s.labels.listByPhoto(photo.id).map((l) => l.source)).toEqual(['human'])
    expect(s.embeddings.get({ kind: 'photo', photoId: photo.id }, 'gat-mean')).toBeUndefined()
  })

  it('recognises a moved file by its content and keeps its id and analysis', () => {
    const s = open()
    const run = s.runs.start('index').id
    const { photo } = s.recordScan(scannedFile(1), run, present)
    s.saveAnalysis(photo.id, analysisOf(1))
    s.labels.correct({ photoId: photo.id, classId: 3, state: 'negative', actor: 'ana' })
    const before = counts(s, photo.id)
    const moved = s.recordScan({ ...scannedFile(1), path: '/elsewhere/renamed.jpg' }, run, (p) => p === photoPath(1))
    expect(moved).toMatchObject({ change: 'moved', previousPath: photoPath(1), photo: { id: photo.id, path: '/elsewhere/renamed.jpg', status: 'indexed' } })
    expect(counts(s, photo.id)).toEqual(before)
    expect(s.photos.findByPath(photoPath(1))).toBeUndefined()
  })

  it('copies the model analysis to a duplicate, not the human labels', () => {
    const s = open()
    const run = s.runs.start('index').id
    const { photo } = s.recordScan(scannedFile(3), run, present)
    s.saveAnalysis(photo.id, analysisOf(3))
    s.labels.correct({ photoId: photo.id, classId: 9, state: 'positive', actor: 'ana' })
    const dup = s.recordScan({ ...scannedFile(3), path: '/copy/of.jpg' }, run, present)
    expect(dup).toMatchObject({ change: 'duplicate', duplicateOf: photo.id, photo: { status: 'indexed', width: 640, format: 'jpeg' } })
    expect(dup.photo.id).not.toBe(photo.id)
    expect(counts(s, dup.photo.id)).toEqual({ objects: 3, labels: 1, vectors: 4 })
    expect(s.labels.listByPhoto(dup.photo.id).every((l) => l.source === 'model')).toBe(true)
    const objectIds = s.objects.listByPhoto(dup.photo.id).map((o) => o.id)
    for (const id of objectIds) expect(s.embeddings.get({ kind: 'object', objectId: id }, 'object-gap')?.photoId).toBe(dup.photo.id)
    expect(s.embeddings.get({ kind: 'photo', photoId: dup.photo.id }, 'gat-mean')?.vector)
      .toEqual(s.embeddings.get({ kind: 'photo', photoId: photo.id }, 'gat-mean')?.vector)
    expect(s.photos.findByHash(scannedFile(3).contentHash).map((p) => p.id).sort()).toEqual([photo.id, dup.photo.id])
  })

  it('leaves a duplicate of an unanalysed photo pending', () => {
    const s = open()
    const run = s.runs.start('index').id
    s.recordScan(scannedFile(3), run, present)
    const dup = s.recordScan({ ...scannedFile(3), path: '/copy/of.jpg' }, run, present)
    expect(dup.change).toBe('duplicate')
    expect(dup.photo.status).toBe('pending')
  })

  it('pages pending photos, records failures with reasons, and counts statuses', () => {
    const s = open()
    const run = s.runs.start('index').id
    const ids = [0, 1, 2, 3, 4].map((i) => s.recordScan(scannedFile(i), run, present).photo.id)
    s.saveAnalysis(ids[0], analysisOf(0))
    s.saveFailure(ids[1], 'HEIC is not supported by this build')
    expect(s.photos.listPending(2).map((p) => p.id)).toEqual([ids[2], ids[3]])
    expect(s.photos.listPending(2, ids[3]).map((p) => p.id)).toEqual([ids[4]])
    expect(s.photos.get(ids[1])).toMatchObject({ status: 'failed', error: 'HEIC is not supported by this build' })
    expect(s.photos.statusCounts()).toEqual({ pending: 3, indexed: 1, failed: 1, total: 5 })
    expect(s.photos.retryFailed()).toBe(1)
    expect(s.photos.get(ids[1])).toMatchObject({ status: 'pending', error: null })
    s.photos.setThumbnail(ids[0], '/thumbs/x.webp')
    expect(s.photos.get(ids[0])).toMatchObject({ thumbnail: '/thumbs/x.webp', width: 640, height: 480, indexedAt: 1234 })
  })

  it('prunes photos a run did not see, under a root only, keeping label history', () => {
    const s = open()
    const run1 = s.runs.start('index').id
    const a = s.recordScan({ ...scannedFile(1), path: '/lib/a.jpg' }, run1, present).photo.id
    const b = s.recordScan({ ...scannedFile(2), path: '/lib/sub/b.jpg' }, run1, present).photo.id
    const c = s.recordScan({ ...scannedFile(3), path: '/library2/c.jpg' }, run1, present).photo.id
    s.saveAnalysis(b, analysisOf(2))
    s.labels.correct({ photoId: b, classId: 1, state: 'positive', actor: 'ana' })
    const run2 = s.runs.start('index').id
    s.photos.markSeen(a, run2)
    expect(s.photos.pruneUnseen(run2, '/lib')).toEqual([b])
    expect(s.photos.get(c)).toBeDefined()
    expect(s.db.prepare('SELECT count(*) FROM objects').pluck().get()).toBe(0)
    expect(s.labels.history()).toHaveLength(1)
    expect(s.photos.pruneUnseen(run2)).toEqual([c])
    expect(s.photos.statusCounts().total).toBe(1)
  })
})
