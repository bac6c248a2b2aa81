import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { VectorIndex } from '../../../../src/main/engine/index/vector-index.js'
import { MapVectorSource } from '../../../../src/main/engine/index/vector-source.js'
import { bruteForce, clusteredRows, clusteredSource, cosine, meanRecall, queries, tempFolder } from './helpers.js'

const DIMS = 48
let folder: ReturnType<typeof tempFolder>
beforeEach(() => { folder = tempFolder() })
afterEach(() => folder.cleanup())

const hnsw = { exactThreshold: 0 }
let opened = 0

describe('VectorIndex search', () => {
  it('finds the brute-force neighbours with HNSW, with true cosine similarities', () => {
    const source = clusteredSource(3000, DIMS)
    const index = VectorIndex.open(join(folder.dir, 'p.usearch'), DIMS, source, hnsw)
    expect(index.mode).toBe('hnsw')
    expect(index.size).toBe(3000)
    const qs = queries(100, DIMS)
    expect(meanRecall(source, qs, 10, (q) => index.search(q, 10))).toBeGreaterThanOrEqual(0.97)
    const hits = index.search(qs[0], 10)
    expect(hits).toHaveLength(10)
    for (let i = 1; i < hits.length; i++) expect(hits[i].similarity).toBeLessThanOrEqual(hits[i - 1].similarity)
    for (const h of hits) expect(h.similarity).toBeCloseTo(cosine(qs[0], source.vectors.get(h.key)!), 5)
    index.close()
  })

  it('adds and removes incrementally: removed keys never come back, new ones are found', () => {
    const source = clusteredSource(2000, DIMS)
    const index = VectorIndex.open(join(folder.dir, 'p.usearch'), DIMS, source, hnsw)
    const removed = new Set<number>()
    for (let key = 1; key <= 2000; key += 7) {
      expect(index.remove(key)).toBe(true)
      source.vectors.delete(key)
      removed.add(key)
    }
    expect(index.remove(1)).toBe(false)
    for (const [key, v] of clusteredRows(500, DIMS, 5, 10_001)) {
      index.add(key, v)
      source.vectors.set(key, v)
    }
    expect(index.size).toBe(source.count())
    expect(index.has(10_001)).toBe(true)
    expect(index.has(1)).toBe(false)
    const qs = queries(80, DIMS)
    for (const q of qs) for (const h of index.search(q, 20)) expect(removed.has(h.key)).toBe(false)
    expect(meanRecall(source, qs, 10, (q) => index.search(q, 10))).toBeGreaterThanOrEqual(0.97)
    // A new vector is its own nearest neighbour.
    const [key, v] = [10_250, source.vectors.get(10_250)!]
    expect(index.search(v, 1)[0]).toMatchObject({ key })
    expect(index.dirty).toBe(true)
    index.close({ save: false })
  })

  it('replaces the vector of a key that is added again', () => {
    const source = clusteredSource(500, DIMS)
    const index = VectorIndex.open(join(folder.dir, 'p.usearch'), DIMS, source, hnsw)
    const other = source.vectors.get(400)!
    index.add(3, other)
    expect(index.size).toBe(500)
    const top = index.search(other, 2).map((h) => h.key).sort((a, b) => a - b)
    expect(top).toEqual([3, 400])
    index.close({ save: false })
  })

  it('searches small libraries exactly: same keys, order and similarities as brute force', () => {
    const source = clusteredSource(2500, DIMS)
    const index = VectorIndex.open(join(folder.dir, 'p.usearch'), DIMS, source)
    expect(index.mode).toBe('exact')
    for (const q of queries(30, DIMS)) {
      const got = index.search(q, 10)
      const want = bruteForce(source, q, 10)
      expect(got.map((h) => h.key)).toEqual(want.map((h) => h.key))
      got.forEach((h, i) => expect(h.similarity).toBeCloseTo(want[i].similarity, 5))
    }
    // Incremental edits keep the in-memory copy exact.
    index.remove(17)
    source.vectors.delete(17)
    const [[key, v]] = clusteredRows(1, DIMS, 77, 50_000)
    index.add(key, v)
    source.vectors.set(key, v)
    for (const q of [...queries(10, DIMS, 4), v]) {
      expect(index.search(q, 10).map((h) => h.key)).toEqual(bruteForce(source, q, 10).map((h) => h.key))
    }
    index.close({ save: false })
  })

  it('searches with a query that is a view into a larger buffer (as vectors from the inference process are)', () => {
    const source = clusteredSource(300, DIMS)
    const q = queries(1, DIMS)[0]
    const pool = new Float32Array(DIMS * 3).fill(0.25)
    const view = new Float32Array(pool.buffer, DIMS * 4 * 2, DIMS)
    view.set(q)
    for (const options of [{}, hnsw]) {
      const index = VectorIndex.open(join(folder.dir, `view-${opened++}.usearch`), DIMS, source, options)
      expect(index.search(view, 5)).toEqual(index.search(Float32Array.from(q), 5))
      expect(index.search(view, 5, { exact: true })).toEqual(index.search(Float32Array.from(q), 5, { exact: true }))
      index.close()
    }
  })

  it('forced exact search over the source equals brute force in HNSW mode', () => {
    const source = clusteredSource(3000, DIMS)
    const index = VectorIndex.open(join(folder.dir, 'p.usearch'), DIMS, source, hnsw)
    for (const q of queries(20, DIMS)) {
      const got = index.search(q, 10, { exact: true })
      expect(got.map((h) => h.key)).toEqual(bruteForce(source, q, 10).map((h) => h.key))
    }
    index.close()
  })

  it('applies must-have / must-not-have filters in both modes', () => {
    const source = clusteredSource(3000, DIMS)
    const mustHave = (key: number): boolean => key % 5 === 0 && key % 3 !== 0
    for (const options of [hnsw, {}]) {
      const index = VectorIndex.open(join(folder.dir, `f${options === hnsw}.usearch`), DIMS, source, options)
      let total = 0
      for (const q of queries(40, DIMS)) {
        const got = index.search(q, 10, { filter: mustHave })
        expect(got).toHaveLength(10)
        expect(got.every((h) => mustHave(h.key))).toBe(true)
        const want = new Set(bruteForce(source, q, 10, mustHave).map((h) => h.key))
        total += got.filter((h) => want.has(h.key)).length / 10
      }
      expect(total / 40).toBeGreaterThanOrEqual(index.mode === 'exact' ? 1 : 0.95)
      index.close()
    }
  })

  it('falls back to an exact scan when a filter is too selective for over-fetching', () => {
    const source = clusteredSource(3000, DIMS)
    const index = VectorIndex.open(join(folder.dir, 'p.usearch'), DIMS, source, { ...hnsw, maxOverFetch: 256 })
    const rare = new Set([11, 222, 1333, 2444, 2999])
    const q = queries(1, DIMS)[0]
    const got = index.search(q, 10, { filter: (k) => rare.has(k) })
    expect(got.map((h) => h.key)).toEqual(bruteForce(source, q, 10, (k) => rare.has(k)).map((h) => h.key))
    index.close()
  })

  it('keeps recall close to f32 with f16 and i8 storage', () => {
    const source = clusteredSource(3000, DIMS)
    const qs = queries(100, DIMS)
    const recallOf = (quantization: 'f32' | 'f16' | 'i8'): number => {
      const index = VectorIndex.open(join(folder.dir, `${quantization}.usearch`), DIMS, source, { ...hnsw, quantization })
      const r = meanRecall(source, qs, 10, (q) => index.search(q, 10))
      index.close()
      return r
    }
    const f32 = recallOf('f32')
    expect(recallOf('f16')).toBeGreaterThanOrEqual(f32 - 0.01)
    expect(recallOf('i8')).toBeGreaterThanOrEqual(f32 - 0.05)
  })

  it('switches from exact to HNSW once the library clearly outgrows the threshold', () => {
    const source = clusteredSource(100, DIMS)
    const index = VectorIndex.open(join(folder.dir, 'p.usearch'), DIMS, source, { exactThreshold: 100 })
    expect(index.mode).toBe('exact')
    for (const [k, v] of clusteredRows(20, DIMS, 3, 1000)) index.add(k, v)
    expect(index.mode).toBe('exact')
    for (const [k, v] of clusteredRows(10, DIMS, 4, 2000)) index.add(k, v)
    expect(index.mode).toBe('hnsw')
    expect(index.search(source.vectors.get(50)!, 1)[0].key).toBe(50)
    index.close({ save: false })
  })

  it('handles an empty library and rejects malformed vectors and keys', () => {
    const index = VectorIndex.open(join(folder.dir, 'p.usearch'), DIMS, new MapVectorSource())
    expect(index.size).toBe(0)
    expect(index.search(new Float32Array(DIMS).fill(1), 5)).toEqual([])
    expect(() => index.add(1, new Float32Array(DIMS - 1))).toThrow(/Float32Array\(48\)/)
    expect(() => index.add(1, new Float32Array(DIMS).fill(Number.NaN))).toThrow(/not finite/)
    expect(() => index.add(-1, new Float32Array(DIMS))).toThrow(RangeError)
    expect(() => index.add(2n ** 60n, new Float32Array(DIMS))).toThrow(RangeError)
    index.add(7n, new Float32Array(DIMS).fill(1))
    expect(index.search(new Float32Array(DIMS).fill(2), 5)).toEqual([{ key: 7, similarity: expect.closeTo(1, 5) }])
    index.close()
    expect(() => index.search(new Float32Array(DIMS), 1)).toThrow(/closed/)
  })
})
