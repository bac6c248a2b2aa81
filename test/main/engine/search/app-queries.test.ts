/**
 * The query specs the app adds (real coco-dev photos in a real library, real model pack): several
 * stored objects as one query, an outside photo given as bytes, and boxes on a library photo by
 * id — which runs the detector at most once and the same ONNX head graph as indexing.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InferenceRunner } from '../../../../src/main/engine/inference-types.js'
import { EVIDENCE_THRESHOLD } from '../../../../src/main/engine/library/library.js'
import { PhotoDecodeError } from '../../../../src/main/engine/pipeline/decode.js'
import { CenterNetDetector } from '../../../../src/main/engine/pipeline/detect.js'
import type { SearchContext } from '../../../../src/main/engine/search/context.js'
import { QueryError, resolveQuery, storedObjects } from '../../../../src/main/engine/search/query.js'
import { search } from '../../../../src/main/engine/search/search-service.js'
import type { Box } from '../../../../src/shared/domain.js'
import { buildTestLibrary, COCO_DEV, type TestLibrary } from './helpers.js'

let T: TestLibrary
const both = (labels: number[]) => labels.includes(T.classes.indexOf('dog')) && labels.includes(T.classes.indexOf('person'))

beforeAll(async () => {
  T = await buildTestLibrary(16, 1)
})
afterAll(async () => {
  await T?.cleanup()
})

/** The library's search context with its engine calls counted by model (the real engine runs them). */
function countingContext(): { ctx: SearchContext; calls: string[] } {
  const base = T.lib.searchContext()
  const calls: string[] = []
  const runner: InferenceRunner = { run: (model, feeds, fetches, options) => (calls.push(model), T.lib.engine.run(model, feeds, fetches, options)) }
  const { detector, headGraph } = base.analyser
  const analyser = { ...base.analyser, detector: new CenterNetDetector(runner, detector.modelName, { scoreThreshold: EVIDENCE_THRESHOLD }), headGraph: headGraph && { ...headGraph, runner } }
  return { ctx: { ...base, analyser }, calls }
}

describe('several stored objects as one query', () => {
  it('from two photos: photos with both classes come first, the source photos never', async () => {
    const sources = T.library.filter((i) => both(i.labels)).map((i) => T.photoId(i.file))
    const pick = (photoId: number, cls: string) => storedObjects(T.lib, photoId).find((o) => o.className === cls)
    const dog = sources.map((p) => pick(p, 'dog')).find(Boolean)!
    const person = sources.map((p) => pick(p, 'person')).find((o) => o && T.lib.store.objects.get(o.objectId!)!.photoId !== T.lib.store.objects.get(dog.objectId!)!.photoId)!
    const photos = [dog, person].map((o) => T.lib.store.objects.get(o.objectId!)!.photoId)
    const { query, results } = await search(T.lib, { kind: 'object-ids', objectIds: [dog.objectId!, person.objectId!, dog.objectId!] }, { k: 3 })
    expect(query).toMatchObject({ mode: 'objects', origin: 'library', labels: [T.classes.indexOf('person'), T.classes.indexOf('dog')].sort((a, b) => a - b) })
    expect(query.photoId).toBeUndefined()
    expect(query.objects.map((o) => o.objectId)).toEqual([dog.objectId, person.objectId])
    expect(query.excludePhotoIds).toEqual(expect.arrayContaining(photos))
    expect(results.map((r) => r.photoId)).not.toContain(photos[0])
    expect(results.map((r) => r.photoId)).not.toContain(photos[1])
    expect(both(T.truth(results[0].photoId))).toBe(true)
    expect(results[0].objectHits).toHaveLength(2)
  })

  it('from one photo: the query names that photo; unknown or no objects are refused', async () => {
    const photoId = T.photoId(T.library.find((i) => storedObjects(T.lib, T.photoId(i.file)).length >= 2)!.file)
    const ids = storedObjects(T.lib, photoId).slice(0, 2).map((o) => o.objectId!)
    const query = await resolveQuery(T.lib, { kind: 'object-ids', objectIds: ids })
    expect(query).toMatchObject({ photoId, path: T.lib.store.photos.get(photoId)!.path, excludePhotoIds: [photoId] })
    await expect(resolveQuery(T.lib, { kind: 'object-ids', objectIds: [ids[0], 99999] })).rejects.toThrow(/object 99999 is not in the library/)
    await expect(resolveQuery(T.lib, { kind: 'object-ids', objectIds: [] })).rejects.toThrow(QueryError)
  })
})

describe('an outside photo given as bytes', () => {
  const libraryFiles = () => readdirSync(T.libraryDir, { recursive: true }).map(String).sort()
  const counts = () => T.lib.store.db.prepare('SELECT (SELECT count(*) FROM photos) AS p, (SELECT count(*) FROM embeddings) AS e').get()

  it('is analysed in memory like the same file, and nothing is written', async () => {
    const img = T.heldOut[0]
    const file = path.join(COCO_DEV, 'images', img.file)
    const [filesBefore, countsBefore] = [libraryFiles(), counts()]
    const { query, results } = await search(T.lib, { kind: 'photo-bytes', bytes: new Uint8Array(readFileSync(file)), name: 'dropped.jpg' }, { k: 3 })
    expect(query).toMatchObject({ mode: 'photo', origin: 'outside', name: 'dropped.jpg', excludePhotoIds: [] })
    expect(query.path).toBeUndefined()
    const fromFile = await resolveQuery(T.lib, { kind: 'photo-file', file })
    expect(Math.max(...query.photoEmbedding!.map((v, i) => Math.abs(v - fromFile.photoEmbedding![i])))).toBeLessThan(1e-6)
    expect(query.objects.map((o) => o.box)).toEqual(fromFile.objects.map((o) => o.box))
    expect(results.length).toBe(3)
    expect([libraryFiles(), counts()]).toEqual([filesBefore, countsBefore])
  })

  it('is recognised as the library photo with the same bytes', async () => {
    const img = T.library[2]
    const query = await resolveQuery(T.lib, { kind: 'photo-bytes', bytes: readFileSync(path.join(T.photosDir, img.file)) })
    expect(query).toMatchObject({ origin: 'library', photoId: T.photoId(img.file) })
  })

  it('is refused with the decoder\'s reasons when it is not a whole photo', async () => {
    const bytes = readFileSync(path.join(COCO_DEV, 'images', T.heldOut[0].file))
    const cut = resolveQuery(T.lib, { kind: 'photo-bytes', bytes: bytes.subarray(0, bytes.length >> 1), name: 'cut.jpg' })
    await expect(cut).rejects.toThrow(PhotoDecodeError)
    await expect(cut).rejects.toMatchObject({ reason: 'truncated' })
    await expect(resolveQuery(T.lib, { kind: 'photo-bytes', bytes: new TextEncoder().encode('not a photo at all') })).rejects.toMatchObject({ reason: 'not-an-image' })
  })
})

describe('boxes on a library photo', () => {
  const dogPhoto = () => T.library.map((i) => T.photoId(i.file)).find((id) => storedObjects(T.lib, id).some((o) => o.className === 'dog' && o.score! >= 0.5))!

  it('a box on a stored object is that object: no model runs', async () => {
    const photoId = dogPhoto()
    const dog = storedObjects(T.lib, photoId).find((o) => o.className === 'dog')!
    const { ctx, calls } = countingContext()
    const query = await resolveQuery(ctx, { kind: 'boxes', photoId, boxes: [dog.box] })
    expect(query).toMatchObject({ origin: 'library', photoId, mode: 'objects' })
    expect(query.objects[0]).toMatchObject({ origin: 'stored', objectId: dog.objectId, boxIou: 1 })
    expect(calls).toEqual([])
  })

  it('a box on nothing stored: one detector pass, the ONNX head graph, the same node as the file form', async () => {
    const photoId = dogPhoto()
    const [x1, y1, x2, y2] = storedObjects(T.lib, photoId).find((o) => o.className === 'dog')!.box
    const inner: Box = [x1 + 0.3 * (x2 - x1), y1 + 0.3 * (y2 - y1), x2 - 0.3 * (x2 - x1), y2 - 0.3 * (y2 - y1)]
    const stored = storedObjects(T.lib, photoId)[0]
    const { ctx, calls } = countingContext()
    const query = await resolveQuery(ctx, { kind: 'boxes', photoId, boxes: [stored.box, inner] })
    const detector = ctx.analyser.detector.modelName
    const head = ctx.analyser.headGraph!.model
    expect(calls.filter((m) => m === detector)).toHaveLength(1)
    expect(calls.filter((m) => m === head)).toHaveLength(2) // the photo's graph, then with the box's node
    expect(query.objects.map((o) => o.origin)).toEqual(['stored', 'box'])
    expect(query.objects[1]).toMatchObject({ box: inner, boxIou: 0, score: null })
    const byFile = await resolveQuery(T.lib, { kind: 'boxes', file: T.lib.store.photos.get(photoId)!.path, boxes: [inner] })
    expect(Math.max(...byFile.objects[0].embedding.map((v, i) => Math.abs(v - query.objects[1].embedding[i])))).toBeLessThan(1e-5)
    await expect(resolveQuery(ctx, { kind: 'boxes', photoId: 99999, boxes: [inner] })).rejects.toThrow(/photo 99999 is not in the library/)
  })
})
