import { afterEach, describe, expect, it } from 'vitest'
import { LibraryStore } from '../../../../src/main/engine/store/library-store.js'
import { DIMS, MODEL_VERSION, analysisOf, scannedFile, vector } from './fixtures/synthetic-library.js'
import { useTempDb } from './helpers.js'

const tempDb = useTempDb()
const stores: LibraryStore[] = []
afterEach(() => stores.splice(0).forEach((s) => s.close()))

function open(file = tempDb()): LibraryStore {
  const store = LibraryStore.open(file)
  stores.push(store)
  return store
}

function addPhoto(s: LibraryStore, i: number): number {
  const run = s.runs.resumeOrStart('index').run.id
  return s.recordScan(scannedFile(i), run, () => false).photo.id
}

describe('LibraryStore', () => {
  it('saves a whole analysis: objects with features and vectors, labels, photo vectors, status', () => {
    const s = open()
    const id = addPhoto(s, 3)
    s.saveAnalysis(id, analysisOf(3))
    const objects = s.objects.listByPhoto(id)
    expect(objects.map((o) => o.score)).toEqual([0.7, 0.6, 0.5])
    expect(objects[2]).toMatchObject({ box: [0, 0, 100, 80], classId: 3, source: 'detector', modelVersion: MODEL_VERSION })
    expect(s.objects.features(objects[2].id)).toEqual(vector(30, 16))
    expect(s.embeddings.get({ kind: 'object', objectId: objects[2].id }, 'object-gap')?.vector).toEqual(vector(300))
    expect(s.labels.listByPhoto(id)).toEqual([expect.objectContaining({ classId: 9, state: 'positive', source: 'model', confidence: 0.9 })])
    expect(s.embeddings.get({ kind: 'photo', photoId: id }, 'gat-mean')?.vector).toEqual(vector(3))
    expect(s.photos.get(id)).toMatchObject({ status: 'indexed', width: 640, height: 480, format: 'jpeg', thumbnail: '/thumbs/3.webp' })
  })

  it('re-analysing replaces detector objects and model labels, not human boxes or labels', () => {
    const s = open()
    const id = addPhoto(s, 3)
    s.saveAnalysis(id, analysisOf(3))
    const human = s.objects.addHuman(id, [1, 2, 3, 4], 50)
    s.labels.correct({ photoId: id, classId: 9, state: 'negative', actor: 'ana' })
    s.saveAnalysis(id, analysisOf(3))
    expect(s.objects.countByPhoto(id)).toBe(4)
    expect(s.objects.get(human)).toMatchObject({ source: 'human', score: null, classId: 50 })
    expect(s.labels.effective(id)).toEqual([expect.objectContaining({ classId: 9, state: 'negative', source: 'human' })])
    expect(s.embeddings.count('object-gap')).toBe(3)
  })

  it('writes nothing when any part of an analysis fails', () => {
    const s = open()
    const id = addPhoto(s, 3)
    const bad = analysisOf(3)
    bad.embeddings.push({ method: 'broken', modelVersion: MODEL_VERSION, vector: new Float32Array([1, Number.NaN]) })
    expect(() => s.saveAnalysis(id, bad)).toThrow(/NaN/)
    expect(s.photos.get(id)?.status).toBe('pending')
    expect(s.objects.countByPhoto(id)).toBe(0)
    expect(s.labels.listByPhoto(id)).toEqual([])
    expect(s.embeddings.count()).toBe(0)
    expect(() => s.saveAnalysis(999, analysisOf(1))).toThrow(/no such photo/)
  })

  it('keeps the previous analysis when a re-analysis fails halfway', () => {
    const s = open()
    const id = addPhoto(s, 2)
    s.saveAnalysis(id, analysisOf(2))
    const bad = analysisOf(2)
    bad.embeddings[0].vector = vector(1, DIMS + 1) // dims mismatch with stored gat-mean vectors
    expect(() => s.saveAnalysis(id, bad)).toThrow(/dims/)
    expect(s.objects.countByPhoto(id)).toBe(2)
    expect(s.embeddings.count()).toBe(3)
    expect(s.photos.get(id)?.status).toBe('indexed')
  })

  it('marks failures with a reason and clears stale analysis', () => {
    const s = open()
    const id = addPhoto(s, 2)
    s.saveAnalysis(id, analysisOf(2))
    s.saveFailure(id, 'cannot decode: truncated JPEG')
    expect(s.photos.get(id)).toMatchObject({ status: 'failed', error: 'cannot decode: truncated JPEG' })
    expect(s.objects.countByPhoto(id)).toBe(0)
  })

  it('rolls back a failed transaction(fn) and supports nesting', () => {
    const s = open()
    expect(() => s.transaction(() => {
      addPhoto(s, 1)
      s.transaction(() => addPhoto(s, 2))
      throw new Error('abort')
    })).toThrow('abort')
    expect(s.photos.statusCounts().total).toBe(0)
  })

  it('is the only writer of its file in this process, and persists across reopen', () => {
    const file = tempDb()
    const s = LibraryStore.open(file)
    expect(() => LibraryStore.open(file)).toThrow(/already open/)
    const id = addPhoto(s, 1)
    s.saveAnalysis(id, analysisOf(1))
    expect(s.check()).toEqual([])
    s.close()
    s.close()
    const again = open(file)
    expect(again.photos.get(id)?.status).toBe('indexed')
    expect(again.check()).toEqual([])
  })
})
