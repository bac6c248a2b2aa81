import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { copyFileSync, existsSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { VectorIndex, type VectorIndexOptions } from '../../../../src/main/engine/index/vector-index.js'
import { metaPathOf, type IndexMeta } from '../../../../src/main/engine/index/index-files.js'
import type { MapVectorSource } from '../../../../src/main/engine/index/vector-source.js'
import { bruteForce, clusteredRows, clusteredSource, queries, tempFolder } from './helpers.js'

const DIMS = 32
const N = 1500
const hnsw: VectorIndexOptions = { exactThreshold: 0 }
let folder: ReturnType<typeof tempFolder>
let file: string
beforeEach(() => {
  folder = tempFolder()
  file = join(folder.dir, 'photos.usearch')
})
afterEach(() => folder.cleanup())

const readMetaJson = (): IndexMeta => JSON.parse(readFileSync(metaPathOf(file), 'utf8')) as IndexMeta

/** The top-5 keys of ten fixed queries. */
const top5 = (index: VectorIndex): number[][] => queries(10, DIMS).map((q) => index.search(q, 5).map((h) => h.key))

/** Saves an index of `source` at `file`, closes it, and returns its `top5` answers. */
function saved(source: MapVectorSource, options: VectorIndexOptions = hnsw): number[][] {
  const index = VectorIndex.open(file, DIMS, source, options)
  expect(index.openReport.rebuilt).toBe(true)
  const answers = top5(index)
  index.close()
  return answers
}

/**
 * Reopens, expects the given outcome, and checks the index holds exactly the source and finds
 * near neighbours. HNSW is approximate, its multi-threaded build is not deterministic, and f16/i8
 * storage reorders near ties, so one query may miss two of its true top 5 (seen in CI with i8).
 * What must hold: every hit is among the true top 10, and mean recall@5 is at least 0.8 (over
 * 1,200 measured queries: no hit outside the true top 8, lowest mean recall 0.92 with i8).
 */
function reopenExpect(source: MapVectorSource, rebuilt: boolean, reason: string, options = hnsw): VectorIndex {
  const index = VectorIndex.open(file, DIMS, source, options)
  expect(index.openReport).toMatchObject({ rebuilt, reason })
  expect(index.size).toBe(source.count())
  for (const key of source.keys()) expect(index.has(key)).toBe(true)
  let found = 0
  for (const [i, got] of top5(index).entries()) {
    const truth = bruteForce(source, queries(10, DIMS)[i], 10).map((h) => h.key)
    expect(truth, `query ${i}`).toEqual(expect.arrayContaining(got))
    found += got.filter((k) => truth.slice(0, 5).includes(k)).length
  }
  expect(found / 50).toBeGreaterThanOrEqual(0.8)
  return index
}

describe('VectorIndex persistence', () => {
  it('saves atomically and reopens without rebuilding, with identical results', () => {
    const source = clusteredSource(N, DIMS)
    const index = VectorIndex.open(file, DIMS, source, hnsw)
    expect(index.openReport).toMatchObject({ rebuilt: true, reason: 'index-missing' })
    for (const [k, v] of clusteredRows(50, DIMS, 9, 5000)) {
      source.vectors.set(k, v)
      index.add(k, v)
    }
    index.remove(3)
    source.vectors.delete(3)
    const qs = queries(20, DIMS)
    const before = qs.map((q) => index.search(q, 10))
    index.close()
    expect(readdirSync(folder.dir).sort()).toEqual(['photos.usearch', 'photos.usearch.meta.json'])
    const meta = readMetaJson()
    expect(meta).toMatchObject({ dims: DIMS, quantization: 'f32', count: N + 49, fileBytes: statSync(file).size })
    expect(meta.fileSha256).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'))

    const again = reopenExpect(source, false, 'loaded')
    expect(again.dirty).toBe(false)
    expect(qs.map((q) => again.search(q, 10))).toEqual(before)
    // opened as a memory-mapped view: the first change reads it into memory, then saves as usual
    const [[k, v]] = clusteredRows(1, DIMS, 11, 9000)
    again.add(k, v)
    source.vectors.set(k, v)
    expect(again.remove(5)).toBe(true)
    source.vectors.delete(5)
    expect(again.remove(5)).toBe(false)
    again.close()
    const third = reopenExpect(source, false, 'loaded')
    expect(third.has(k) && !third.has(5)).toBe(true)
    third.close()
  })

  it('rebuilds when changes were never saved (crash before save)', () => {
    const source = clusteredSource(N, DIMS)
    saved(source)
    const index = VectorIndex.open(file, DIMS, source, hnsw)
    const [[k, v]] = clusteredRows(1, DIMS, 8, 9000)
    source.vectors.set(k, v)
    index.add(k, v)
    index.close({ save: false })
    reopenExpect(source, true, 'count-mismatch').close()
  })

  it('detects a truncated file', () => {
    const source = clusteredSource(N, DIMS)
    saved(source)
    truncateSync(file, Math.floor(statSync(file).size / 2))
    reopenExpect(source, true, 'size-mismatch').close()
    reopenExpect(source, false, 'loaded').close()
  })

  it('detects flipped bytes that keep the size', () => {
    const source = clusteredSource(N, DIMS)
    saved(source)
    const bytes = readFileSync(file)
    for (const at of [100, Math.floor(bytes.length / 2), bytes.length - 10]) bytes[at] ^= 0xff
    writeFileSync(file, bytes)
    reopenExpect(source, true, 'checksum-mismatch').close()
  })

  it('rebuilds when USearch cannot load a file whose meta matches it', () => {
    const source = clusteredSource(N, DIMS)
    saved(source)
    const bytes = readFileSync(file)
    const head = 8 + N * DIMS * 4
    expect(bytes.indexOf('usearch', head)).toBe(head)
    bytes.write('garbage', head)
    writeFileSync(file, bytes)
    const meta = readMetaJson()
    meta.fileSha256 = createHash('sha256').update(bytes).digest('hex')
    writeFileSync(metaPathOf(file), JSON.stringify(meta))
    const index = reopenExpect(source, true, 'load-failed')
    expect(index.openReport.detail).toMatch(/magic/i)
    index.close()
  })

  it('rebuilds when the source has an extra, a missing or a changed key set, or a new fingerprint', () => {
    const source = clusteredSource(N, DIMS)
    saved(source)
    const [[k1, v1], [k2, v2]] = clusteredRows(2, DIMS, 3, 7000)
    source.vectors.set(k1, v1)
    reopenExpect(source, true, 'count-mismatch').close()
    source.vectors.delete(10)
    reopenExpect(source, true, 'count-mismatch').close()
    source.vectors.delete(11)
    source.vectors.set(k2, v2)
    reopenExpect(source, true, 'keys-mismatch').close()
    source.fingerprintValue = 'model-v2'
    reopenExpect(source, true, 'fingerprint-mismatch').close()
    reopenExpect(source, false, 'loaded').close()
  })

  it('rebuilds when dimensions or quantization change', () => {
    const source = clusteredSource(N, DIMS)
    saved(source)
    reopenExpect(source, true, 'config-changed', { ...hnsw, quantization: 'i8' }).close()
    expect(readMetaJson().quantization).toBe('i8')
    const wider = new Map([...source.vectors].map(([k, v]) => [k, Float32Array.from([...v, 0])]))
    const index = VectorIndex.open(file, DIMS + 1, { ...source, count: () => wider.size, keys: () => wider.keys(), entries: () => wider.entries() }, hnsw)
    expect(index.openReport).toMatchObject({ rebuilt: true, reason: 'config-changed' })
    index.close()
  })

  it('detects half-written saves: missing meta, unreadable meta, index replaced under old meta', () => {
    const source = clusteredSource(N, DIMS)
    saved(source)
    rmSync(metaPathOf(file))
    reopenExpect(source, true, 'meta-missing').close()
    writeFileSync(metaPathOf(file), '{"format": "constella-vector-ind')
    reopenExpect(source, true, 'meta-invalid').close()

    // A newer index file renamed into place while the old meta stayed behind.
    const newer = join(folder.dir, 'newer.usearch')
    const grown = clusteredSource(N + 10, DIMS)
    VectorIndex.open(newer, DIMS, grown, hnsw).close()
    copyFileSync(newer, file)
    const index = VectorIndex.open(file, DIMS, source, hnsw)
    expect(['size-mismatch', 'checksum-mismatch']).toContain(index.openReport.reason)
    expect(index.size).toBe(N)
    index.close()
  })

  it('removes temp files of an interrupted save and rebuilds when the save did not land', () => {
    const source = clusteredSource(N, DIMS)
    saved(source)
    const tmpIndex = `${file}.tmp-4242-deadbeef`
    writeFileSync(tmpIndex, readFileSync(file).subarray(0, 1000))
    writeFileSync(`${metaPathOf(file)}.tmp-4242-cafebabe`, '{"format"')
    const [[k, v]] = clusteredRows(1, DIMS, 8, 9000)
    source.vectors.set(k, v) // the change whose save was interrupted
    const index = reopenExpect(source, true, 'count-mismatch')
    expect(index.openReport.leftovers.sort()).toEqual(['photos.usearch.meta.json.tmp-4242-cafebabe', 'photos.usearch.tmp-4242-deadbeef'])
    expect(existsSync(tmpIndex)).toBe(false)
    index.close()

    // A leftover beside an index that still matches the store is only cleaned up.
    writeFileSync(tmpIndex, 'partial')
    const kept = reopenExpect(source, false, 'loaded')
    expect(kept.openReport.leftovers).toEqual(['photos.usearch.tmp-4242-deadbeef'])
    expect(existsSync(tmpIndex)).toBe(false)
    kept.close()
  })

  it('reopens f16 and i8 indexes and a small exact-mode library', () => {
    for (const quantization of ['f16', 'i8'] as const) {
      const source = clusteredSource(N, DIMS)
      rmSync(file, { force: true })
      const before = saved(source, { ...hnsw, quantization })
      const index = reopenExpect(source, false, 'loaded', { ...hnsw, quantization })
      expect(top5(index), `${quantization}: the loaded graph answers as the saved one did`).toEqual(before)
      index.close()
    }
    const small = clusteredSource(300, DIMS, 4)
    saved(small, {})
    const index = reopenExpect(small, false, 'loaded', {})
    expect(index.mode).toBe('exact')
    const q = queries(1, DIMS)[0]
    expect(index.search(q, 10).map((h) => h.key)).toEqual(bruteForce(small, q, 10).map((h) => h.key))
    index.close()
  })
})
