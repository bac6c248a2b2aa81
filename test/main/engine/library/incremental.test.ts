/**
 * Incremental indexing of one real library through a sequence of changes on disk: a second run
 * skips everything, a renamed/moved file keeps its photo and analysis, a copy reuses the analysis
 * without inference, a deleted file is pruned from the store and both indexes, a re-encoded file
 * is analysed again (its old object vectors leave the index), and photos behind an unmounted
 * folder are kept. The steps run in order on the same library.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { indexLibrary, type IndexSummary } from '../../../../src/main/engine/library/indexer.js'
import { Library } from '../../../../src/main/engine/library/library.js'
import { cocoFiles, copyCocoPhotos, CountingEngine, engineRunsPerPhoto, expectIndexesMatchStore, photoVector, tempFolder } from './helpers.js'

const temp = tempFolder()
const photosDir = path.join(temp.dir, 'photos')
const externalDir = path.join(temp.dir, 'external')
const libDir = path.join(temp.dir, 'library')
let engine: CountingEngine
let lib: Library
let photos: string[]
let runsPerPhoto = 1

/** One run with how much inference it caused. */
async function run(): Promise<IndexSummary & { engineRuns: number; analysed: number[] }> {
  const before = engine.runs
  const analysed: number[] = []
  const s = await indexLibrary(lib, [photosDir], { onAnalyzed: (id) => { analysed.push(id) } })
  return { ...s, engineRuns: engine.runs - before, analysed }
}

const idOf = (file: string): number => {
  const p = lib.store.photos.findByPath(file)
  if (!p) throw new Error(`${file} is not in the library`)
  return p.id
}
const objectIds = (photoId: number): number[] => lib.store.objects.listByPhoto(photoId).map((o) => o.id).sort((a, b) => a - b)
const thumbFiles = (): string[] => readdirSync(lib.paths.thumbsDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.jpg')).sort()

function expectUniquePaths(): void {
  const row = lib.store.db.prepare('SELECT count(*) AS n, count(DISTINCT path) AS d FROM photos').get() as { n: number; d: number }
  expect(row.n).toBe(row.d)
}

beforeAll(async () => {
  photos = copyCocoPhotos(photosDir, 10, 20)
  writeFileSync(path.join(photosDir, 'empty.jpg'), '')
  copyCocoPhotos(externalDir, 2, 30)
  symlinkSync(externalDir, path.join(photosDir, 'ext')) // e.g. an external drive linked into the library
  engine = new CountingEngine()
  lib = await Library.open({ dir: libDir, engine })
  runsPerPhoto = engineRunsPerPhoto(lib)
})

afterAll(async () => {
  await lib?.close()
  await engine?.dispose()
  temp.cleanup()
})

describe('incremental indexing', () => {
  it('indexes the library once', async () => {
    const s = await run()
    expect(s).toMatchObject({ found: 13, indexed: 12, skipped: 0, moved: 0, duplicates: 0, pruned: 0 })
    expect(s.failed.map((f) => path.basename(f.path))).toEqual(['empty.jpg'])
    expect(s.engineRuns).toBe(12 * runsPerPhoto)
    expectIndexesMatchStore(lib)
  })

  it('skips every unchanged photo on the next run (failed ones too) without any inference', async () => {
    const thumbs = thumbFiles()
    const before = lib.store.db.prepare('SELECT id, path, content_hash, status, indexed_at FROM photos ORDER BY id').all()
    const s = await run()
    expect(s).toMatchObject({ found: 13, indexed: 0, skipped: 13, moved: 0, duplicates: 0, pruned: 0, failed: [], resumed: false })
    expect(s.engineRuns).toBe(0)
    expect(s.analysed).toEqual([])
    expect(lib.store.db.prepare('SELECT id, path, content_hash, status, indexed_at FROM photos ORDER BY id').all()).toEqual(before)
    expect(thumbFiles()).toEqual(thumbs)
    expectIndexesMatchStore(lib)
  })

  it('recognises a renamed and moved file as the same photo, keeping its id, objects and vectors', async () => {
    const from = photos[0]
    const id = idOf(from)
    const objects = objectIds(id)
    const vector = photoVector(lib, id)
    const to = path.join(photosDir, 'sorted', 'renamed.jpg')
    mkdirSync(path.dirname(to))
    renameSync(from, to)
    const s = await run()
    expect(s).toMatchObject({ found: 13, indexed: 0, moved: 1, skipped: 12, duplicates: 0, pruned: 0 })
    expect(s.engineRuns).toBe(0)
    expect(lib.store.photos.findByPath(from)).toBeUndefined()
    expect(idOf(to)).toBe(id)
    expect(objectIds(id)).toEqual(objects)
    expect(photoVector(lib, id)).toEqual(vector)
    expect(lib.indexes.photos.search(vector, 1)[0].key).toBe(id)
    expectIndexesMatchStore(lib)
    photos[0] = to
  })

  it('recognises a copied file as a duplicate and indexes it from the stored analysis, without inference', async () => {
    const original = photos[1]
    const copy = path.join(photosDir, 'copies', 'copy-of-original.jpg')
    mkdirSync(path.dirname(copy))
    copyFileSync(original, copy)
    const s = await run()
    expect(s).toMatchObject({ found: 14, indexed: 0, moved: 0, duplicates: 1, skipped: 13, pruned: 0 })
    expect(s.engineRuns).toBe(0)
    expect(s.analysed).toEqual([])
    const a = lib.store.photos.findByPath(original)!
    const b = lib.store.photos.findByPath(copy)!
    expect(b.id).not.toBe(a.id)
    expect([b.status, b.contentHash, b.width, b.height, b.format, b.thumbnail]).toEqual(['indexed', a.contentHash, a.width, a.height, a.format, a.thumbnail])
    expect(photoVector(lib, b.id)).toEqual(photoVector(lib, a.id))
    const objectsA = lib.store.objects.listByPhoto(a.id)
    const objectsB = lib.store.objects.listByPhoto(b.id)
    expect(objectsB.map((o) => [o.classId, o.box])).toEqual(objectsA.map((o) => [o.classId, o.box]))
    for (const o of objectsB) expect(lib.indexes.objects.has(o.id)).toBe(true)
    const hits = lib.indexes.photos.search(photoVector(lib, a.id), 2)
    expect(new Set(hits.map((h) => h.key))).toEqual(new Set([a.id, b.id]))
    expect(hits[1].similarity).toBeCloseTo(1, 5)
    expectIndexesMatchStore(lib)
    photos.push(copy)
  })

  it('prunes a deleted file from the store and from both indexes', async () => {
    const gone = photos[2]
    const id = idOf(gone)
    const objects = objectIds(id)
    expect(objects.length).toBeGreaterThan(0)
    rmSync(gone)
    const s = await run()
    expect(s).toMatchObject({ found: 13, indexed: 0, pruned: 1, skipped: 13, moved: 0, duplicates: 0 })
    expect(s.engineRuns).toBe(0)
    expect(lib.store.photos.get(id)).toBeUndefined()
    expect(lib.indexes.photos.has(id)).toBe(false)
    for (const o of objects) expect(lib.indexes.objects.has(o)).toBe(false)
    expect(lib.store.db.prepare('SELECT count(*) AS n FROM embeddings WHERE photo_id = ?').get(id)).toEqual({ n: 0 })
    expectIndexesMatchStore(lib)
    photos.splice(2, 1)
  })

  it('analyses a modified (re-encoded) file again under the same id, replacing its objects in the index; a fixed failed file too', async () => {
    const edited = photos[3]
    const id = idOf(edited)
    const oldObjects = objectIds(id)
    const oldHash = lib.store.photos.get(id)!.contentHash
    const reencoded = await sharp(edited).jpeg({ quality: 55 }).toBuffer()
    writeFileSync(edited, reencoded)
    const empty = path.join(photosDir, 'empty.jpg')
    const emptyId = idOf(empty)
    copyFileSync(cocoFiles(1, 40)[0], empty)
    const s = await run()
    expect(s).toMatchObject({ found: 13, indexed: 2, skipped: 11, moved: 0, duplicates: 0, pruned: 0, failed: [] })
    expect(s.engineRuns).toBe(2 * runsPerPhoto)
    expect(s.analysed.sort()).toEqual([id, emptyId].sort())
    const photo = lib.store.photos.get(id)!
    expect(photo.status).toBe('indexed')
    expect(photo.contentHash).not.toBe(oldHash)
    expect(existsSync(photo.thumbnail!)).toBe(true)
    const newObjects = objectIds(id)
    expect(newObjects.length).toBeGreaterThan(0)
    for (const o of oldObjects.filter((o) => !newObjects.includes(o))) expect(lib.indexes.objects.has(o), `stale object ${o}`).toBe(false)
    for (const o of newObjects) expect(lib.indexes.objects.has(o)).toBe(true)
    expect(lib.store.photos.get(emptyId)).toMatchObject({ status: 'indexed', error: null, format: 'jpeg' })
    expectIndexesMatchStore(lib)
  })

  it('keeps the photos of a folder that cannot be read (an unmounted drive) instead of pruning them', async () => {
    const link = path.join(photosDir, 'ext')
    const kept = lib.store.db.prepare('SELECT id FROM photos WHERE substr(path, 1, ?) = ?').all(link.length + 1, link + path.sep) as { id: number }[]
    expect(kept).toHaveLength(2)
    renameSync(externalDir, externalDir + '-unplugged')
    const s = await run()
    expect(s).toMatchObject({ found: 11, indexed: 0, pruned: 0, skipped: 11 })
    expect(s.unreadable).toEqual([{ path: link, reason: 'does not exist (or is a broken link)' }])
    for (const { id } of kept) {
      expect(lib.store.photos.get(id)!.status).toBe('indexed')
      expect(lib.indexes.photos.has(id)).toBe(true)
    }
    renameSync(externalDir + '-unplugged', externalDir)
    const back = await run()
    expect(back).toMatchObject({ found: 13, indexed: 0, pruned: 0, skipped: 13, unreadable: [] })
    expect(back.engineRuns).toBe(0)
  })

  it('leaves a library whose saved indexes open as they are, with no duplicate rows', async () => {
    expectUniquePaths()
    expect(lib.store.check()).toEqual([])
    expect(lib.store.photos.statusCounts()).toEqual({ pending: 0, indexed: 13, failed: 0, total: 13 })
    await lib.close()
    lib = await Library.open({ dir: libDir, engine })
    expect(lib.indexes.reports.photos).toMatchObject({ rebuilt: false, reason: 'loaded' })
    expect(lib.indexes.reports.objects).toMatchObject({ rebuilt: false, reason: 'loaded' })
    expectIndexesMatchStore(lib)
  })
})
