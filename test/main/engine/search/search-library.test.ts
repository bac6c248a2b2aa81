/**
 * Search over a real 40-photo coco-dev library (real model pack, SQLite, USearch). Relevance is
 * judged by coco-dev's ground-truth labels, never by the model's own labels.
 */
import { copyFileSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Library } from '../../../../src/main/engine/library/library.js'
import { matchObjects, resultObjects } from '../../../../src/main/engine/search/explain.js'
import { QueryError, resolveQuery, storedObjects } from '../../../../src/main/engine/search/query.js'
import { search, searchLibrary } from '../../../../src/main/engine/search/search-service.js'
import type { Box } from '../../../../src/shared/domain.js'
import { cosine } from '../../../../src/shared/math/vector.js'
import { buildTestLibrary, COCO_DEV, dominantClass, largestBox, type TestLibrary } from './helpers.js'

let T: TestLibrary
const shares = (a: number[], b: number[]) => a.some((c) => b.includes(c))

beforeAll(async () => {
  T = await buildTestLibrary(40)
})
afterAll(async () => {
  await T?.cleanup()
})

describe('search by a library photo', () => {
  it('returns k results without the query photo, best first, each explained', async () => {
    const id = T.photoId(T.library[0].file)
    const { query, results } = await search(T.lib, { kind: 'photo-id', photoId: id }, { k: 10 })
    expect(query).toMatchObject({ mode: 'photo', origin: 'library', photoId: id })
    expect(results).toHaveLength(10)
    expect(results.map((r) => r.photoId)).not.toContain(id)
    for (let i = 1; i < results.length; i++) expect(results[i].similarity).toBeLessThanOrEqual(results[i - 1].similarity)
    for (const r of results) {
      expect(r.path.startsWith(T.photosDir)).toBe(true)
      expect(r.explanation.sharedLabels.every((l) => r.labels.includes(l))).toBe(true)
      for (const m of r.explanation.matches) {
        expect(m.cost).toBeGreaterThanOrEqual(-1e-6)
        expect(m.cost).toBeLessThanOrEqual(0.5)
        expect(query.objects[m.queryObject.index].classId).toBe(m.queryObject.classId)
      }
    }
    expect(results.some((r) => r.explanation.matches.length > 0)).toBe(true)
  })

  it('finds photos sharing a ground-truth label well above chance (P@5)', async () => {
    const ids = T.library.map((i) => T.photoId(i.file))
    const queries = T.library.filter((i) => dominantClass(i) !== undefined && dominantClass(i) !== 0)
    let precision = 0
    let chance = 0
    for (const img of queries) {
      const id = T.photoId(img.file)
      const others = ids.filter((o) => o !== id)
      chance += others.filter((o) => shares(T.truth(o), img.labels)).length / others.length
      const { results } = await search(T.lib, { kind: 'photo-id', photoId: id }, { k: 5 })
      precision += results.filter((r) => shares(T.truth(r.photoId), img.labels)).length / 5
    }
    precision /= queries.length
    chance /= queries.length
    console.info(`P@5 over ${queries.length} dominant-class queries: ${precision.toFixed(3)} (chance ${chance.toFixed(3)})`)
    expect(queries.length).toBeGreaterThanOrEqual(25)
    expect(precision).toBeGreaterThanOrEqual(chance + 0.25)
  })
})

describe('search by a photo file', () => {
  const counts = () => T.lib.store.db.prepare(`SELECT (SELECT count(*) FROM photos) AS photos, (SELECT count(*) FROM objects) AS objects,
    (SELECT count(*) FROM embeddings) AS embeddings, (SELECT count(*) FROM labels) AS labels`).get()

  it('analyses an outside photo live and writes nothing', async () => {
    const before = counts()
    const sizes = [T.lib.indexes.photos.size, T.lib.indexes.objects.size]
    for (const img of T.heldOut.slice(0, 3)) {
      const { query, results } = await search(T.lib, { kind: 'photo-file', file: path.join(COCO_DEV, 'images', img.file) }, { k: 5 })
      expect(query).toMatchObject({ mode: 'photo', origin: 'outside', excludePhotoIds: [] })
      expect(query.photoId).toBeUndefined()
      expect(query.objects.every((o) => o.origin === 'detected' && o.objectId === undefined)).toBe(true)
      expect(results).toHaveLength(5)
      expect(shares(T.truth(results[0].photoId), img.labels)).toBe(true)
    }
    expect(counts()).toEqual(before)
    expect([T.lib.indexes.photos.size, T.lib.indexes.objects.size]).toEqual(sizes)
  })

  it('finds the original of a resized copy first, and treats an exact copy as the library photo', async () => {
    const original = T.library.find((i) => dominantClass(i) === T.classes.indexOf('zebra'))!
    const dir = path.join(T.root, 'outside')
    mkdirSync(dir, { recursive: true })
    const resized = path.join(dir, 'half.jpg')
    await sharp(path.join(COCO_DEV, 'images', original.file)).resize({ width: Math.round(original.width / 2) }).jpeg({ quality: 85 }).toFile(resized)
    const { query, results } = await search(T.lib, { kind: 'photo-file', file: resized }, { k: 3 })
    expect(query.origin).toBe('outside')
    expect(results[0].photoId).toBe(T.photoId(original.file))
    expect(results[0].similarity).toBeGreaterThan(0.95)
    const copy = path.join(dir, 'same-bytes.jpg')
    copyFileSync(path.join(COCO_DEV, 'images', original.file), copy)
    const same = await search(T.lib, { kind: 'photo-file', file: copy }, { k: 3 })
    expect(same.query).toMatchObject({ origin: 'library', photoId: T.photoId(original.file) })
    expect(same.results.map((r) => r.photoId)).not.toContain(T.photoId(original.file))
  })
})

describe('search by objects', () => {
  const dog = () => T.classes.indexOf('dog')
  const person = () => T.classes.indexOf('person')

  it('by one dog object: photos with a dog come first', async () => {
    const dogObjects = T.library.flatMap((img) => storedObjects(T.lib, T.photoId(img.file)).filter((o) => o.classId === dog() && o.score! >= 0.5))
    expect(dogObjects.length).toBeGreaterThanOrEqual(3)
    let withDog = 0
    for (const o of dogObjects) {
      const { query, results } = await search(T.lib, { kind: 'object-id', objectId: o.objectId! }, { k: 3 })
      expect(query).toMatchObject({ mode: 'objects', labels: [dog()] })
      expect(results.map((r) => r.photoId)).not.toContain(T.lib.store.objects.get(o.objectId!)!.photoId)
      withDog += results.filter((r) => T.truth(r.photoId).includes(dog())).length
      expect(results[0].explanation.matches[0]?.queryObject.className).toBe('dog')
    }
    const rate = withDog / (3 * dogObjects.length)
    const libraryRate = T.library.filter((i) => i.labels.includes(dog())).length / T.library.length
    console.info(`dog object queries: ${dogObjects.length}, top-3 with a dog ${rate.toFixed(3)} (library share ${libraryRate.toFixed(3)})`)
    expect(rate).toBeGreaterThanOrEqual(0.9)
  })

  it('by two boxes (a dog and a person): photos with both come first', async () => {
    const both = (labels: number[]) => labels.includes(dog()) && labels.includes(person())
    const queries = T.library.filter((i) => both(i.labels))
    let hits = 0
    let chance = 0
    for (const img of queries) {
      const boxes = [largestBox(img, dog()), largestBox(img, person())]
      const { query, results } = await search(T.lib, { kind: 'boxes', file: path.join(T.photosDir, img.file), boxes }, { k: 4 })
      expect(query.mode).toBe('objects')
      expect(query.objects.map((o) => o.className)).toEqual(['dog', 'person'])
      expect(both(T.truth(results[0].photoId))).toBe(true)
      hits += results.filter((r) => both(T.truth(r.photoId))).length
      chance += (queries.length - 1) / (T.library.length - 1)
    }
    const rate = hits / (4 * queries.length)
    console.info(`dog+person box queries: ${queries.length}, top-4 with both ${rate.toFixed(3)} (chance ${(chance / queries.length).toFixed(3)})`)
    expect(rate).toBeGreaterThanOrEqual(0.75)
  })

  it('builds a node from a box that no detection matches', async () => {
    const img = T.library.find((i) => storedObjects(T.lib, T.photoId(i.file)).some((o) => o.classId === dog() && o.score! >= 0.6))!
    const stored = storedObjects(T.lib, T.photoId(img.file)).find((o) => o.classId === dog())!
    const [x1, y1, x2, y2] = stored.box
    const w = x2 - x1
    const h = y2 - y1
    const inner: Box = [x1 + 0.3 * w, y1 + 0.3 * h, x2 - 0.3 * w, y2 - 0.3 * h] // IoU 0.16
    const query = await resolveQuery(T.lib, { kind: 'boxes', file: path.join(T.photosDir, img.file), boxes: [inner] })
    const [node] = query.objects
    expect(node).toMatchObject({ origin: 'box', boxIou: 0, classId: dog(), box: inner })
    expect(Math.hypot(...node.embedding)).toBeCloseTo(1, 4)
    console.info(`box node vs stored dog h_i: cos ${cosine(node.embedding, stored.embedding).toFixed(3)}`)
    expect(cosine(node.embedding, stored.embedding)).toBeGreaterThan(0.8)
    expect(searchLibrary(T.lib, query, { k: 3 }).length).toBe(3)
  })
})

describe('label filters and explanations', () => {
  it('honours must-have and must-not-have labels', async () => {
    const person = T.classes.indexOf('person')
    const dog = T.classes.indexOf('dog')
    for (const img of T.library.slice(0, 6)) {
      const { results } = await search(T.lib, { kind: 'photo-id', photoId: T.photoId(img.file) }, { k: 8, mustHave: [person], mustNotHave: [dog] })
      expect(results.length).toBeGreaterThan(0)
      for (const r of results) {
        const positives = T.lib.store.labels.effective(r.photoId).filter((l) => l.state === 'positive').map((l) => l.classId)
        expect(positives).toContain(person)
        expect(positives).not.toContain(dog)
        expect(r.labels).toContain('person')
      }
    }
    const dogObject = T.library.flatMap((i) => storedObjects(T.lib, T.photoId(i.file))).find((o) => o.classId === dog)!
    const { results } = await search(T.lib, { kind: 'object-id', objectId: dogObject.objectId! }, { k: 5, mustNotHave: [person] })
    for (const r of results) expect(r.labels).not.toContain('person')
  })

  it('matches every object of a photo with a copy of itself at zero cost', () => {
    let objects = 0
    let ownCopy = 0
    for (const img of T.library) {
      const id = T.photoId(img.file)
      const own = storedObjects(T.lib, id)
      const m = matchObjects(own, resultObjects(T.lib, id))
      expect(m.unmatchedQuery).toEqual([])
      expect(m.matches).toHaveLength(own.length)
      for (const x of m.matches) {
        expect(x.cost).toBeLessThan(1e-4)
        expect(x.resultObject.classId).toBe(x.queryObject.classId)
        if (x.resultObject.id === x.queryObject.objectId) ownCopy++
        const twin = own.some((o, i) => i !== x.queryObject.index && 1 - cosine(o.embedding, own[x.queryObject.index].embedding) < 1e-3)
        if (!twin) expect(x.resultObject.id).toBe(x.queryObject.objectId)
      }
      objects += own.length
    }
    console.info(`self-explanations: ${objects} objects, ${ownCopy} matched to their own copy (the rest to a same-class twin)`)
    expect(objects).toBeGreaterThan(40)
  })

  it('says clearly what cannot be searched', async () => {
    await expect(resolveQuery(T.lib, { kind: 'photo-id', photoId: 99999 })).rejects.toThrow(/photo 99999 is not in the library/)
    await expect(resolveQuery(T.lib, { kind: 'object-id', objectId: 99999 })).rejects.toThrow(QueryError)
    await expect(resolveQuery(T.lib, { kind: 'photo-file', file: path.join(T.root, 'nope.jpg') })).rejects.toThrow(/is not a file/)
    const photo = path.join(T.photosDir, T.library[0].file)
    await expect(resolveQuery(T.lib, { kind: 'boxes', file: photo, boxes: [[5000, 5000, 6000, 6000]] })).rejects.toThrow(/no area inside/)
    const empty = await Library.open({ dir: path.join(T.root, 'empty-library'), engine: T.lib.engine })
    try {
      await expect(search(empty, { kind: 'photo-file', file: photo })).rejects.toThrow(/run `constella index <folder>` first/)
    } finally {
      await empty.close()
    }
  })
})
