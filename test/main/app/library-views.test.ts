/**
 * The grid and photo view channels over a real library of 8 coco-dev photos indexed by the app
 * (real models, real SQLite): listing, paging, sorting, filtering, counts, a photo's grouped
 * objects and labels, its graph, its neighbours, and its media.
 */
import { existsSync, rmSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PhotoCard } from '../../../src/shared/api-contract.js'
import { sameObject } from '../../../src/main/app/photo-objects.js'
import { copyPhotos, jobsDone, startApp, type AppFixture } from './app-fixture.js'

let app: AppFixture
let photosDir: string
let all: PhotoCard[]

beforeAll(async () => {
  app = await startApp()
  photosDir = path.join(app.root, 'photos')
  copyPhotos(photosDir, 8, 0) // 000000000790.jpg has a bottle also detected as a cup
  await app.call('folders.add', { path: photosDir })
  const jobs = await jobsDone(app)
  expect(jobs[0]).toMatchObject({ state: 'completed', done: 8, total: 8, failed: 0 })
  all = (await app.call('photos.list', { limit: 500 })).items
})

afterAll(async () => app?.cleanup())

describe('photos.list and photos.count', () => {
  it('lists every photo, newest first by default, with names, sizes, object counts and labels', async () => {
    expect(all).toHaveLength(8)
    expect(all.map((c) => c.id)).toEqual([...all.map((c) => c.id)].sort((a, b) => b - a))
    for (const card of all) {
      expect(card).toMatchObject({ status: 'indexed', error: null })
      expect(existsSync(path.join(photosDir, card.name))).toBe(true)
      expect(card.width).toBeGreaterThan(0)
      expect(card.labels.length).toBeLessThanOrEqual(5)
    }
    expect(await app.call('photos.count', {})).toEqual({ total: 8 })
  })

  it('pages with cursors through the same list, with offsets, and jumps by offset', async () => {
    const seen: number[] = []
    let cursor: string | undefined
    const offsets: number[] = []
    do {
      const page = await app.call('photos.list', { limit: 3, ...(cursor ? { cursor } : {}) })
      offsets.push(page.offset)
      seen.push(...page.items.map((c) => c.id))
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    expect(seen).toEqual(all.map((c) => c.id))
    expect(offsets).toEqual([0, 3, 6])
    const jumped = await app.call('photos.list', { limit: 2, offset: 5 })
    expect(jumped.items.map((c) => c.id)).toEqual(all.slice(5, 7).map((c) => c.id))
    const bad = await app.api.call('photos.list', { cursor: 'garbage' })
    expect(!bad.ok && bad.error.code).toBe('bad-request')
  })

  it('sorts by name and by object count, ties by id', async () => {
    const byName = (await app.call('photos.list', { sort: { key: 'name', order: 'asc' } })).items.map((c) => c.name)
    expect(byName).toEqual([...byName].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())))
    const byObjects = (await app.call('photos.list', { sort: { key: 'objects', order: 'desc' } })).items
    for (let i = 1; i < byObjects.length; i++) {
      const [a, b] = [byObjects[i - 1], byObjects[i]]
      expect(a.objects > b.objects || (a.objects === b.objects && a.id > b.id)).toBe(true)
    }
  })

  it('filters by label (effective state), object count, status, folder and name, and counts the same', async () => {
    const details = await Promise.all(all.map((c) => app.call('photos.get', { id: c.id })))
    const person = 0
    const withPerson = details.filter((d) => d.labels.some((l) => l.classId === person && l.state === 'positive')).map((d) => d.id)
    expect(withPerson.length).toBeGreaterThan(0)
    expect(withPerson.length).toBeLessThan(8)
    const cases: [Record<string, unknown>, number[]][] = [
      [{ labels: [person] }, withPerson],
      [{ labels: [person], labelState: 'unknown' }, all.map((c) => c.id).filter((id) => !withPerson.includes(id))],
      [{ minObjects: 3 }, all.filter((c) => c.objects >= 3).map((c) => c.id)],
      [{ maxObjects: 2 }, all.filter((c) => c.objects <= 2).map((c) => c.id)],
      [{ status: 'failed' }, []],
      [{ folder: photosDir }, all.map((c) => c.id)],
      [{ folder: `${photosDir}-other` }, []],
      [{ text: all[3].name.slice(6, 12).toUpperCase() }, all.filter((c) => c.name.includes(all[3].name.slice(6, 12))).map((c) => c.id)],
    ]
    for (const [filter, want] of cases) {
      const page = await app.call('photos.list', { filter })
      expect(page.items.map((c) => c.id).sort(), JSON.stringify(filter)).toEqual([...want].sort())
      expect(await app.call('photos.count', { filter })).toEqual({ total: want.length })
    }
  })
})

describe('photos.get, photos.graph, photos.neighbours', () => {
  it('groups each photo\'s detections into physical objects, as the grid counts them', async () => {
    const withAlternatives: string[] = []
    for (const card of all) {
      const d = await app.call('photos.get', { id: card.id })
      expect(d).toMatchObject({ id: card.id, name: card.name, folder: photosDir, format: 'jpeg', status: 'indexed' })
      expect(d.objects).toHaveLength(card.objects)
      const members = d.objects.flatMap((o) => o.memberIds)
      expect(new Set(members).size).toBe(members.length)
      for (const o of d.objects) {
        expect(o.memberIds[0]).toBe(o.id)
        expect(o.alternatives.map((a) => a.classId)).not.toContain(o.classId)
        for (const other of d.objects) if (other !== o) expect(sameObject(o.box, other.box)).toBe(false)
        if (o.alternatives.length > 0) withAlternatives.push(`${card.name}: ${o.className} or ${o.alternatives[0].className}`)
      }
      for (const l of d.labels) expect(l.className).toBe((await app.call('app.info', {})).classNames[l.classId])
    }
    expect(withAlternatives).toContain('000000000790.jpg: bottle or cup')
  })

  it('runs the head again: objects + 1 nodes, finite matrices, attention rows summing to 1', async () => {
    const card = all.find((c) => c.objects >= 2)!
    const detail = await app.call('photos.get', { id: card.id })
    const detectorObjects = detail.objects.filter((o) => o.source === 'detector').reduce((n, o) => n + o.memberIds.length, 0)
    const g = await app.call('photos.graph', { id: card.id })
    const n = detectorObjects + 1
    expect(g.nodes).toHaveLength(n)
    expect(g.nodes[0]).toEqual({ kind: 'photo' })
    const memberIds = new Set(detail.objects.flatMap((o) => o.memberIds))
    for (const node of g.nodes.slice(1)) expect(node.kind === 'object' && memberIds.has(node.objectId)).toBe(true)
    expect(g.adjacency).toHaveLength(n)
    g.adjacency.forEach((row, i) => {
      expect(row).toHaveLength(n)
      expect(row.every(Number.isFinite)).toBe(true)
      expect(row[i]).toBeCloseTo(1, 4)
    })
    expect(g.attention.length).toBeGreaterThan(0)
    for (const layer of g.attention) for (const head of layer) for (const row of head) {
      expect(row.every(Number.isFinite)).toBe(true)
      expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 4)
    }
    expect(g.transportTopLabels).toHaveLength(n)
    expect(g.labelScores).toHaveLength(80)
    expect(g.model).toMatch(/^sarl-gat-head \(/)
  })

  it('gives the photos before and after one in a grid order', async () => {
    expect(await app.call('photos.neighbours', { id: all[3].id })).toEqual({ previous: all[2].id, next: all[4].id })
    expect(await app.call('photos.neighbours', { id: all[0].id })).toEqual({ previous: null, next: all[1].id })
    const missing = await app.api.call('photos.get', { id: 99999 })
    expect(!missing.ok && missing.error.code).toBe('not-found')
  })

  it('serves thumbnails and EXIF-oriented JPEG photos by id only', async () => {
    const media = app.engine.services.media
    const thumb = await media.resolve('thumb', all[0].id)
    expect(thumb?.contentType).toBe('image/jpeg')
    expect(thumb?.file && existsSync(thumb.file)).toBe(true)
    // the grid card's version names the photo's content: a media URL with it may be kept for good
    expect(all[0].version).toMatch(/^[0-9a-f]{16}$/)
    expect(thumb!.version!.startsWith(all[0].version)).toBe(true)
    expect(new Set(all.map((c) => c.version)).size).toBe(all.length)
    expect((await app.call('photos.get', { id: all[0].id })).version).toBe(all[0].version) // the photo view's thumbnail is the grid's
    // the photo view's preview was made at index time, beside the thumbnail
    const photo = await media.resolve('photo', all[0].id)
    expect(photo?.file && path.dirname(photo.file)).toBe(path.dirname(thumb!.file!))
    const meta = await sharp(photo!.file!).metadata()
    expect({ format: meta.format, width: meta.width, height: meta.height }).toEqual({ format: 'jpeg', width: all[0].width, height: all[0].height })
    expect(photo!.etag).not.toBe(thumb!.etag)
    expect(await media.resolve('photo', 99999)).toBeNull()
    // the original at full resolution: the file itself
    const original = await media.resolve('original', all[0].id)
    expect(original).toMatchObject({ file: path.join(photosDir, all[0].name), contentType: 'image/jpeg' })
  })

  it('encodes the preview of a photo indexed before previews existed on first view, then keeps it', async () => {
    const media = app.engine.services.media
    const kept = (await media.resolve('photo', all[1].id))!.file!
    rmSync(kept)
    const first = await media.resolve('photo', all[1].id)
    const meta = await sharp(first!.body!).metadata()
    expect({ format: meta.format, width: meta.width, height: meta.height }).toEqual({ format: 'jpeg', width: all[1].width, height: all[1].height })
    await expect.poll(() => existsSync(kept)).toBe(true)
    expect((await media.resolve('photo', all[1].id))?.file).toBe(kept)
  })
})

describe('library.status', () => {
  it('reports the folder, the counts and the objects', async () => {
    const status = await app.call('library.status', {})
    expect(status).toMatchObject({
      dir: app.libraryDir,
      folders: [{ path: photosDir, photos: 8, indexed: 8, failed: 0, available: true }],
      photos: { total: 8, indexed: 8, pending: 0, failed: 0 },
      objects: all.reduce((n, c) => n + c.objects, 0),
      activeJob: null,
    })
  })
})
