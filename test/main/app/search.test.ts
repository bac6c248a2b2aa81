/**
 * search.run and uploads.add over a real library of 8 coco-dev photos indexed by the app: by a
 * library photo, by stored objects, by boxes drawn on a photo, and by an outside photo uploaded in
 * memory; label filters; explanations with unique pairs, closeness words and a summary.
 */
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PhotoDetail, SearchResponse } from '../../../src/shared/api-contract.js'
import { CLOSENESS } from '../../../src/main/app/search-view.js'
import { cocoDevImages } from '../../support/coco-images.js'
import { cocoFiles, copyPhotos, jobsDone, startApp, type AppFixture } from './app-fixture.js'

let app: AppFixture
let photosDir: string
let details: PhotoDetail[]

const WORDS = [...CLOSENESS.map(([, w]) => w), 'loosely related']

/** Every explanation has at most one pair per query object and per result object, with words and a summary. */
function expectExplained(response: SearchResponse): void {
  expect(response.results.length).toBeGreaterThan(0)
  for (let i = 1; i < response.results.length; i++) expect(response.results[i - 1].similarity).toBeGreaterThanOrEqual(response.results[i].similarity)
  for (const r of response.results) {
    const { matches, summary } = r.explanation
    expect(new Set(matches.map((m) => m.queryIndex)).size).toBe(matches.length)
    expect(new Set(matches.map((m) => m.resultObjectId)).size).toBe(matches.length)
    for (const m of matches) {
      expect(response.query.objects[m.queryIndex]).toBeDefined()
      expect(WORDS).toContain(m.closeness)
      expect(m.cost).toBeGreaterThanOrEqual(-1e-6)
    }
    expect(r.explanation.unmatchedQuery.every((i) => !matches.some((m) => m.queryIndex === i))).toBe(true)
    expect(summary.length).toBeGreaterThan(0)
    expect(r.name).toMatch(/\.jpg$/)
  }
}

beforeAll(async () => {
  app = await startApp()
  photosDir = path.join(app.root, 'photos')
  copyPhotos(photosDir, 8, 40)
  await app.call('folders.add', { path: photosDir })
  await jobsDone(app)
  const cards = (await app.call('photos.list', {})).items
  details = await Promise.all(cards.map((c) => app.call('photos.get', { id: c.id })))
})

afterAll(async () => app?.cleanup())

describe('search.run', () => {
  it('by a library photo: ranks the others by H and explains each result', async () => {
    const query = details.find((d) => d.objects.length >= 2)!
    const response = await app.call('search.run', { query: { kind: 'photo', photoId: query.id }, k: 5 })
    expect(response.query).toMatchObject({ mode: 'photo', photoId: query.id, uploadId: null, width: query.width, height: query.height })
    expect(response.query.objects.every((o) => o.origin === 'stored' && o.objectId !== null)).toBe(true)
    expect(response.results.map((r) => r.photoId)).not.toContain(query.id)
    expect(response.results).toHaveLength(5)
    expectExplained(response)
    expect(response.results.some((r) => r.explanation.matches.length > 0)).toBe(true)
    expect(response.tookMs).toBeGreaterThanOrEqual(0)
  })

  it('by stored objects and by a box drawn on a photo (snapped to its stored detection)', async () => {
    const photo = details.find((d) => d.objects.length >= 2)!
    const [a, b] = photo.objects
    const byObjects = await app.call('search.run', { query: { kind: 'objects', objectIds: [a.id, b.id] } })
    expect(byObjects.query.mode).toBe('objects')
    expect(byObjects.query.objects.map((o) => o.objectId)).toEqual([a.id, b.id])
    expectExplained(byObjects)
    const [x1, y1, x2, y2] = a.box
    const inset = Math.min(x2 - x1, y2 - y1) * 0.05
    const byBox = await app.call('search.run', { query: { kind: 'boxes', photoId: photo.id, boxes: [[x1 + inset, y1 + inset, x2 - inset, y2 - inset]] } })
    expect(byBox.query.objects).toHaveLength(1)
    expect(byBox.query.objects[0]).toMatchObject({ origin: 'stored', classId: a.classId })
    expect(byBox.query.objects[0].boxIou).toBeGreaterThan(0.8)
    expectExplained(byBox)
  })

  it('applies with / without label filters, and refuses a class in both', async () => {
    const person = 0
    const query = details[0]
    const withPerson = await app.call('search.run', { query: { kind: 'photo', photoId: query.id }, with: [person] })
    expect(withPerson.results.every((r) => r.labels.includes('person'))).toBe(true)
    const without = await app.call('search.run', { query: { kind: 'photo', photoId: query.id }, without: [person] })
    expect(without.results.every((r) => !r.labels.includes('person'))).toBe(true)
    expect(withPerson.results.length + without.results.length).toBe(7)
    const clash = await app.api.call('search.run', { query: { kind: 'photo', photoId: query.id }, with: [person], without: [person] })
    expect(!clash.ok && clash.error).toMatchObject({ code: 'bad-request', message: expect.stringMatching(/person cannot be both/) })
    const missing = await app.api.call('search.run', { query: { kind: 'objects', objectIds: [999999] } })
    expect(!missing.ok && missing.error.code).toBe('not-found')
  })
})

describe('uploads.add', () => {
  it('analyses an outside photo in memory, then searches by it without writing anything', async () => {
    const outside = cocoFiles(1, 100)[0]
    const libraryFiles = readdirSync(app.libraryDir, { recursive: true }).length
    const upload = await app.call('uploads.add', { name: 'holiday.jpg', data: readFileSync(outside).toString('base64') })
    const truth = cocoDevImages()[100]
    expect(upload).toMatchObject({ name: 'holiday.jpg', width: truth.width, height: truth.height })
    expect(upload.preview).toMatch(/^data:image\/jpeg;base64,/)
    expect(upload.objects.length).toBeGreaterThan(0)
    const response = await app.call('search.run', { query: { kind: 'upload', uploadId: upload.uploadId }, k: 3 })
    expect(response.query).toMatchObject({ mode: 'photo', photoId: null, uploadId: upload.uploadId, width: upload.width, height: upload.height })
    expect(response.query.objects.every((o) => o.origin === 'detected')).toBe(true)
    expectExplained(response)
    expect(await app.call('photos.count', {})).toEqual({ total: 8 })
    expect(readdirSync(app.libraryDir, { recursive: true }).length).toBe(libraryFiles)
  })

  it('refuses what is not a photo, a photo over 20 MB, and an unknown upload id', async () => {
    const text = await app.api.call('uploads.add', { data: Buffer.from('shopping list: milk, eggs\n'.repeat(40)).toString('base64') })
    expect(!text.ok && text.error).toMatchObject({ code: 'bad-request', message: expect.stringMatching(/not an image/) })
    const big = await app.api.call('uploads.add', { data: Buffer.alloc(20 * 1024 * 1024 + 16, 1).toString('base64') })
    expect(!big.ok && big.error).toMatchObject({ code: 'bad-request', message: expect.stringMatching(/larger than 20 MB/) })
    const gone = await app.api.call('search.run', { query: { kind: 'upload', uploadId: 'no-such-upload' } })
    expect(!gone.ok && gone.error.code).toBe('not-found')
  })
})
