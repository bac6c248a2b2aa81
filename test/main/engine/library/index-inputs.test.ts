/**
 * Indexing a real folder: coco-dev photos in nested folders, the same photo in every supported
 * format and with an EXIF rotation, and every kind of bad input next to them. Good photos are
 * indexed with their thumbnails; each bad one is recorded as failed with a reason naming the
 * problem and never reaches the inference engine; the run's counts and both indexes agree with
 * the store.
 */
import { existsSync, symlinkSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { indexLibrary, type IndexSummary } from '../../../../src/main/engine/library/indexer.js'
import { Library } from '../../../../src/main/engine/library/library.js'
import { THUMBNAIL_SIZE } from '../../../../src/main/engine/io/thumbnail.js'
import { cosine } from '../../../../src/shared/math/vector.js'
import { cocoDevImages } from '../../../support/coco-images.js'
import {
  copyCocoPhotos, CountingEngine, expectIndexesMatchStore, photoVector, tempFolder, writeBadInputs, writeFormatVariants,
  engineRunsPerPhoto, type BadInput, type FormatVariant,
} from './helpers.js'

const temp = tempFolder()
const photosDir = path.join(temp.dir, 'photos')
let engine: CountingEngine
let lib: Library
let summary: IndexSummary
let cocoCopies: string[]
let variants: FormatVariant[]
let rotated: FormatVariant
let stored: { width: number; height: number }
let bad: BadInput[]
let brokenLink: string

beforeAll(async () => {
  cocoCopies = [...copyCocoPhotos(photosDir, 6, 0), ...copyCocoPhotos(path.join(photosDir, '2019', 'summer'), 6, 6)]
  ;({ variants, rotated, stored } = await writeFormatVariants(path.join(photosDir, 'formats'), cocoCopies[0]))
  bad = writeBadInputs(path.join(photosDir, 'bad'), cocoCopies[1])
  brokenLink = path.join(photosDir, 'bad', 'lost.jpg')
  symlinkSync(path.join(temp.dir, 'no-such-photo.jpg'), brokenLink)
  engine = new CountingEngine()
  lib = await Library.open({ dir: path.join(temp.dir, 'library'), engine })
  summary = await indexLibrary(lib, [photosDir])
})

afterAll(async () => {
  await lib?.close()
  await engine?.dispose()
  temp.cleanup()
})

const good = (): string[] => [...cocoCopies, ...variants.map((v) => v.file), rotated.file]

describe('indexing a folder of good and bad photos', () => {
  it('counts every photo in the run summary', () => {
    expect(summary).toMatchObject({
      resumed: false,
      found: good().length + bad.length,
      indexed: good().length,
      skipped: 0,
      moved: 0,
      duplicates: 0,
      pruned: 0,
    })
    expect(good()).toHaveLength(18)
    expect(summary.failed.map((f) => f.path).sort()).toEqual(bad.map((b) => b.file).sort())
    expect(summary.unreadable).toEqual([{ path: brokenLink, reason: 'does not exist (or is a broken link)' }])
    const run = lib.store.runs.get(summary.runId)!
    expect(run.status).toBe('completed')
    expect(run.counts).toMatchObject({ found: 23, indexed: 18, skipped: 0, failed: 5, pruned: 0 })
  })

  it('records each bad input as failed with a reason naming the file and the problem, and stores nothing else for it', () => {
    for (const b of bad) {
      const photo = lib.store.photos.findByPath(b.file)
      expect(photo, b.file).toBeDefined()
      expect(photo!.status).toBe('failed')
      expect(photo!.error).toContain(b.file)
      expect(photo!.error).toMatch(b.reason)
      expect(summary.failed.find((f) => f.path === b.file)!.reason).toBe(photo!.error)
      expect(lib.store.objects.listByPhoto(photo!.id)).toEqual([])
      expect(lib.indexes.photos.has(photo!.id)).toBe(false)
      expect(photo!.thumbnail).toBeNull()
    }
  })

  it('never sends a bad input to the inference engine', () => {
    expect(engine.runs).toBe(good().length * engineRunsPerPhoto(lib))
  })

  it('indexes every good photo with its decoded size, format and a thumbnail on disk', async () => {
    type Want = [file: string, { format: string; size: number[] }]
    const sizes = new Map(cocoDevImages().map((i) => [i.file, [i.width, i.height]]))
    const expected = new Map<string, { format: string; size: number[] }>([
      ...cocoCopies.map((f): Want => [f, { format: 'jpeg', size: sizes.get(path.basename(f))! }]),
      ...[...variants, rotated].map((v): Want => [v.file, { format: v.format, size: [v.width, v.height] }]),
    ])
    for (const [file, want] of expected) {
      const photo = lib.store.photos.findByPath(file)!
      expect([photo.status, photo.error, photo.format, photo.width, photo.height], file).toEqual(['indexed', null, want.format, ...want.size])
      expect(photo.thumbnail, file).toBeTruthy()
      expect(existsSync(photo.thumbnail!)).toBe(true)
      expect(photo.thumbnail!.startsWith(lib.paths.thumbsDir + path.sep)).toBe(true)
      const thumb = await sharp(photo.thumbnail!).metadata()
      expect(thumb.format).toBe('jpeg')
      expect(Math.max(thumb.width!, thumb.height!)).toBe(Math.min(THUMBNAIL_SIZE, Math.max(photo.width!, photo.height!)))
      expect(lib.indexes.photos.has(photo.id)).toBe(true)
    }
    expect(lib.store.photos.statusCounts()).toEqual({ pending: 0, indexed: 18, failed: 5, total: 23 })
  })

  it('applies EXIF orientation: stored sideways, indexed upright, with an upright thumbnail and boxes', async () => {
    const source = lib.store.photos.findByPath(cocoCopies[0])!
    const photo = lib.store.photos.findByPath(rotated.file)!
    expect([stored.width, stored.height]).toEqual([source.height, source.width])
    expect([photo.width, photo.height]).toEqual([source.width, source.height])
    const thumb = await sharp(photo.thumbnail!).metadata()
    expect(thumb.width! > thumb.height!).toBe(source.width! > source.height!)
    const objects = lib.store.objects.listByPhoto(photo.id)
    expect(objects.length).toBeGreaterThan(0)
    for (const o of objects) {
      expect(o.box[2]).toBeLessThanOrEqual(photo.width!)
      expect(o.box[3]).toBeLessThanOrEqual(photo.height!)
    }
    // Upright, it is the same picture as its source (re-encoded once): nearly the same embedding,
    // far closer than any other photo of the library.
    const sim = cosine(photoVector(lib, photo.id), photoVector(lib, source.id))
    expect(sim).toBeGreaterThan(0.95)
    const others = cocoCopies.slice(1).map((f) => cosine(photoVector(lib, photo.id), photoVector(lib, lib.store.photos.findByPath(f)!.id)))
    expect(sim).toBeGreaterThan(Math.max(...others))
  })

  it('decodes every format to the same picture: each variant retrieves its own family before any other photo', () => {
    const source = lib.store.photos.findByPath(cocoCopies[0])!
    const family = new Set([source.id, ...[...variants, rotated].map((v) => lib.store.photos.findByPath(v.file)!.id)])
    for (const v of variants) {
      const id = lib.store.photos.findByPath(v.file)!.id
      const sim = cosine(photoVector(lib, id), photoVector(lib, source.id))
      // PNG and LZW TIFF hold the source's decoded pixels exactly: the same embedding.
      const lossless = v.format === 'png' || v.format === 'tiff'
      expect(sim, v.format).toBeGreaterThan(lossless ? 0.99999 : 0.9)
      const hits = lib.indexes.photos.search(photoVector(lib, id), family.size)
      expect(new Set(hits.map((h) => h.key)), v.format).toEqual(family)
    }
  })

  it('leaves both indexes holding exactly the store vectors, and a sound database', () => {
    expectIndexesMatchStore(lib)
    expect(lib.indexes.photos.size).toBe(18)
    expect(lib.indexes.objects.size).toBeGreaterThan(18)
    expect(lib.store.check()).toEqual([])
  })
})
