import { afterEach, describe, expect, it } from 'vitest'
import { LibraryStore } from '../../../../src/main/engine/store/library-store.js'
import { blobToVector, vectorToBlob } from '../../../../src/main/engine/store/vector-blob.js'
import { MODEL_VERSION, analysisOf, scannedFile, vector } from './fixtures/synthetic-library.js'
import { useTempDb } from './helpers.js'

const tempDb = useTempDb()
const stores: LibraryStore[] = []
afterEach(() => stores.splice(0).forEach((s) => s.close()))

function open(): LibraryStore {
  const s = LibraryStore.open(tempDb())
  stores.push(s)
  return s
}

const input = (v: Float32Array, method = 'gat-mean') => ({ method, modelVersion: MODEL_VERSION, vector: v })

describe('embeddings', () => {
  it('round-trips float32 vectors exactly, including from unaligned buffers', () => {
    const v = new Float32Array([1.5, -0, Math.PI, 3.4e38, -1e-40, 7])
    const unaligned = Buffer.concat([Buffer.from([0]), vectorToBlob(v)]).subarray(1)
    expect(unaligned.byteOffset % 4).not.toBe(0)
    expect(blobToVector(unaligned)).toEqual(v)
    const s = open()
    const run = s.runs.start('index').id
    const id = s.recordScan(scannedFile(0), run, () => false).photo.id
    s.embeddings.put({ kind: 'photo', photoId: id }, input(v))
    const got = s.embeddings.get({ kind: 'photo', photoId: id }, 'gat-mean')
    expect(got).toMatchObject({ kind: 'photo', ownerId: id, photoId: id, modelVersion: MODEL_VERSION })
    expect(Array.from(got!.vector)).toEqual(Array.from(v))
  })

  it('replaces on put, checks dims and finiteness, and refuses unknown objects', () => {
    const s = open()
    const run = s.runs.start('index').id
    const id = s.recordScan(scannedFile(0), run, () => false).photo.id
    s.embeddings.put({ kind: 'photo', photoId: id }, input(vector(1)))
    s.embeddings.put({ kind: 'photo', photoId: id }, input(vector(2)))
    expect(s.embeddings.count('gat-mean')).toBe(1)
    expect(s.embeddings.get({ kind: 'photo', photoId: id }, 'gat-mean')?.vector).toEqual(vector(2))
    expect(() => s.embeddings.put({ kind: 'photo', photoId: id }, input(vector(1, 8)))).toThrow(/8 dims.*64/)
    expect(() => s.embeddings.put({ kind: 'photo', photoId: id }, input(new Float32Array([Infinity]), 'x'))).toThrow(/Infinity/)
    expect(() => s.embeddings.put({ kind: 'object', objectId: 77 }, input(vector(1), 'obj'))).toThrow(/no object/)
    expect(s.embeddings.get({ kind: 'photo', photoId: id }, 'gat-mean')?.vector).toEqual(vector(2))
  })

  it('iterates every vector of a method in pages for an index rebuild', () => {
    const s = open()
    const run = s.runs.start('index').id
    const ids: number[] = []
    s.transaction(() => {
      for (let i = 0; i < 25; i++) {
        const id = s.recordScan(scannedFile(i), run, () => false).photo.id
        s.saveAnalysis(id, analysisOf(i))
        ids.push(id)
      }
    })
    const all = [...s.embeddings.iterate('gat-mean', 4)]
    expect(all.map((e) => e.ownerId)).toEqual(ids)
    expect(all.every((e, i) => e.kind === 'photo' && e.vector.length === 64 && e.vector[5] === vector(i)[5])).toBe(true)
    const objects = [...s.embeddings.iterate('object-gap', 5)]
    const expected = Array.from({ length: 25 }, (_, i) => i % 4).reduce((a, b) => a + b, 0)
    expect(objects).toHaveLength(expected)
    expect(objects.every((e) => e.kind === 'object' && s.objects.get(e.ownerId)?.photoId === e.photoId)).toBe(true)
    expect(s.embeddings.count()).toBe(25 + expected)
    expect(s.embeddings.methods()).toEqual([
      { method: 'gat-mean', dims: 64, count: 25, modelVersions: [MODEL_VERSION] },
      { method: 'object-gap', dims: 64, count: expected, modelVersions: [MODEL_VERSION] },
    ])
    // the connection is free between pages: writes may interleave with iteration
    for (const e of s.embeddings.iterate('gat-mean', 10)) if (e.ownerId === ids[12]) s.photos.setThumbnail(e.ownerId, 't')
    expect(s.embeddings.deleteMethod('object-gap')).toBe(expected)
    expect(s.embeddings.count('object-gap')).toBe(0)
  })
})
