import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { LibraryStore } from '../../../../src/main/engine/store/library-store.js'
import {
  PhotoCursorError,
  PhotoQueryRepository,
  type PhotoQueryFilter,
  type PhotoSort,
} from '../../../../src/main/engine/store/photo-query-repository.js'
import type { LabelState, PhotoStatus } from '../../../../src/main/engine/store/types.js'

/** A photo as the model of the test knows it. */
interface Spec {
  folder: string
  name: string
  status: PhotoStatus
  indexedAt: number
  objects: number
  /** One more detector box on the first object's box (another class guess: not another object). */
  alternative: boolean
  model: number[]
  human: [number, LabelState][]
}

const FOLDERS = ['/lib/a', '/lib/a/b', '/lib/ab']
const CLASSES = [0, 1, 2]

const specArb: fc.Arbitrary<Spec> = fc.record({
  folder: fc.constantFrom(...FOLDERS),
  name: fc.stringMatching(/^[a-cA-C_.]{1,4}$/),
  status: fc.constantFrom<PhotoStatus>('pending', 'indexed', 'failed'),
  indexedAt: fc.integer({ min: 1, max: 4 }),
  objects: fc.integer({ min: 0, max: 3 }),
  alternative: fc.boolean(),
  model: fc.subarray(CLASSES),
  human: fc.uniqueArray(fc.tuple(fc.constantFrom(...CLASSES), fc.constantFrom<LabelState>('positive', 'negative', 'unknown')), { selector: (t) => t[0], maxLength: 2 }),
})

/** Mostly absent, so that most filters leave long lists to page through. */
const rarely = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: a, weight: 1 })

const filterArb: fc.Arbitrary<PhotoQueryFilter> = fc.record({
  labels: rarely(fc.subarray(CLASSES, { maxLength: 2 })),
  labelState: rarely(fc.constantFrom<LabelState>('positive', 'negative', 'unknown')),
  minObjects: rarely(fc.integer({ min: 0, max: 3 })),
  maxObjects: rarely(fc.integer({ min: 0, max: 3 })),
  status: rarely(fc.constantFrom<PhotoStatus>('pending', 'indexed', 'failed')),
  folder: rarely(fc.constantFrom('/lib/a', '/lib/a/b', '/lib/ab/')),
  text: rarely(fc.stringMatching(/^[a-cA-C.]{1,2}$/)),
})

const sortArb: fc.Arbitrary<PhotoSort> = fc.record({
  key: fc.constantFrom('added', 'name', 'objects', 'indexed'),
  order: fc.constantFrom('asc', 'desc'),
})

const stores: LibraryStore[] = []
afterEach(() => stores.splice(0).forEach((s) => s.close()))

/** Builds the photos through the store's own API; returns the ids in insertion order. */
function build(specs: Spec[]): { store: LibraryStore; repo: PhotoQueryRepository; ids: number[] } {
  let clock = 0
  const store = LibraryStore.open(':memory:', { now: () => clock })
  stores.push(store)
  const run = store.runs.start('index').id
  const ids = specs.map((s, i) => {
    const { photo } = store.recordScan({ path: `${s.folder}/d${i}/${s.name}`, contentHash: `h${i}`, bytes: 1, mtimeMs: 1 }, run, () => false)
    clock = s.indexedAt
    if (s.status === 'indexed') store.photos.markIndexed(photo.id, { width: 10, height: 10, format: 'jpeg' })
    if (s.status === 'failed') store.photos.markFailed(photo.id, 'broken')
    const boxes = Array.from({ length: s.objects }, (_, k) => ({ box: [k * 100, 0, k * 100 + 50, 50] as [number, number, number, number], classId: k, score: 0.9, modelVersion: 'm@1' }))
    if (s.alternative && s.objects > 0) boxes.push({ box: [1, 1, 50, 50], classId: 7, score: 0.3, modelVersion: 'm@1' })
    store.objects.replaceDetected(photo.id, boxes)
    store.labels.setModelLabels(photo.id, s.model.map((c) => ({ classId: c, state: 'positive', confidence: 0.5 + c / 10, modelVersion: 'm@1' })))
    for (const [classId, state] of s.human) store.labels.correct({ photoId: photo.id, classId, state, actor: 'test' })
    return photo.id
  })
  return { store, repo: new PhotoQueryRepository(store.db, () => clock), ids }
}

/** The effective state of a class (human over model; no row = unknown). */
function stateOf(s: Spec, classId: number): LabelState {
  const human = s.human.find(([c]) => c === classId)
  if (human) return human[1]
  return s.model.includes(classId) ? 'positive' : 'unknown'
}

/** The expected ids, filtered and sorted in memory. */
function expected(specs: Spec[], ids: number[], filter: PhotoQueryFilter, sort: PhotoSort): number[] {
  const prefix = filter.folder?.endsWith('/') ? filter.folder : `${filter.folder}/`
  const rows = specs.map((s, i) => ({ s, id: ids[i], name: s.name, dir: `${s.folder}/d${i}/` })).filter(({ s, name, dir }) =>
    (filter.labels ?? []).every((c) => stateOf(s, c) === (filter.labelState ?? 'positive'))
    && (filter.minObjects === undefined || s.objects >= filter.minObjects)
    && (filter.maxObjects === undefined || s.objects <= filter.maxObjects)
    && (filter.status === undefined || s.status === filter.status)
    && (filter.folder === undefined || `${dir}${name}`.startsWith(prefix!))
    && (!filter.text || name.toLowerCase().includes(filter.text.toLowerCase())))
  const key = (r: (typeof rows)[number]): string | number =>
    sort.key === 'added' ? r.id : sort.key === 'name' ? r.name.toLowerCase() : sort.key === 'objects' ? r.s.objects : r.s.status === 'pending' ? 0 : r.s.indexedAt
  const sign = sort.order === 'asc' ? 1 : -1
  return rows.sort((a, b) => {
    const ka = key(a)
    const kb = key(b)
    return sign * (ka < kb ? -1 : ka > kb ? 1 : a.id - b.id)
  }).map((r) => r.id)
}

describe('PhotoQueryRepository', () => {
  it('pages with cursors through exactly the sorted, filtered list; jumps and counts agree', () => {
    fc.assert(fc.property(fc.array(specArb, { maxLength: 30 }), filterArb, sortArb, fc.integer({ min: 1, max: 7 }), fc.nat(), (specs, filter, sort, limit, jump) => {
      const { repo, ids } = build(specs)
      const want = expected(specs, ids, filter, sort)
      const got: number[] = []
      let cursor: string | undefined
      for (let pages = 0; pages <= want.length + 1; pages++) {
        const page = repo.page({ filter, sort, cursor, limit })
        expect(page.offset).toBe(got.length)
        got.push(...page.rows.map((r) => r.id))
        if (!page.nextCursor) break
        cursor = page.nextCursor
      }
      expect(got).toEqual(want)
      expect(repo.count(filter)).toBe(want.length)
      const offset = want.length === 0 ? jump % 3 : jump % want.length
      const jumped = repo.page({ filter, sort, offset, limit })
      expect({ offset: jumped.offset, ids: jumped.rows.map((r) => r.id) }).toEqual({ offset, ids: want.slice(offset, offset + limit) })
      if (want.length > 0) {
        const at = jump % want.length
        expect(repo.neighbours(want[at], filter, sort)).toEqual({ previous: want[at - 1] ?? null, next: want[at + 1] ?? null })
      }
      stores.splice(0).forEach((s) => s.close())
    }), { numRuns: 150 })
  })

  it('reports the object count per physical object and the effective positive labels, strongest first', () => {
    const { repo, ids } = build([
      { folder: '/lib/a', name: 'x.jpg', status: 'indexed', indexedAt: 1, objects: 2, alternative: true, model: [0, 2], human: [[1, 'positive'], [2, 'negative']] },
    ])
    const [row] = repo.page({ sort: { key: 'added', order: 'desc' }, limit: 10 }).rows
    expect(row).toMatchObject({ id: ids[0], name: 'x.jpg', objectCount: 2, status: 'indexed', indexedAt: 1 })
    expect(repo.positiveLabels([ids[0], 999])).toEqual(new Map([[ids[0], [1, 0]], [999, []]]))
  })

  it('refuses a cursor of another order, and a damaged one', () => {
    const { repo } = build(Array.from({ length: 3 }, (_, i) => ({ folder: '/lib/a', name: `${i}`, status: 'pending' as const, indexedAt: 1, objects: 0, alternative: false, model: [], human: [] })))
    const { nextCursor } = repo.page({ sort: { key: 'name', order: 'asc' }, limit: 1 })
    expect(() => repo.page({ sort: { key: 'name', order: 'desc' }, cursor: nextCursor!, limit: 1 })).toThrow(PhotoCursorError)
    expect(() => repo.page({ sort: { key: 'name', order: 'asc' }, cursor: 'not a cursor', limit: 1 })).toThrow(PhotoCursorError)
  })

  it('walks an index for every order, filtered or not, at 100,000 photos', () => {
    const store = LibraryStore.open(':memory:')
    stores.push(store)
    store.db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
      INSERT INTO photos (path, content_hash, bytes, mtime_ms, status, error, indexed_at, width, height)
      SELECT '/lib/f' || (i % 10) || '/IMG_' || (i * 7919 % 100003) || '.jpg', 'h' || i, 1, 1,
        CASE WHEN i % 50 = 0 THEN 'failed' ELSE 'indexed' END, CASE WHEN i % 50 = 0 THEN 'bad' END, i % 977, 640, 480 FROM n`)
    store.db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
      INSERT INTO labels (photo_id, class_id, source, state, model_version, confidence, updated_at)
      SELECT i, i % 80, 'model', 'positive', 'm@1', 0.5, 0 FROM n`)
    store.db.exec('ANALYZE')
    const repo = new PhotoQueryRepository(store.db, Date.now)
    const filters: PhotoQueryFilter[] = [{}, { status: 'failed' }, { labels: [3] }, { folder: '/lib/f3', text: 'img_1' }, { minObjects: 1 }]
    for (const key of ['added', 'name', 'objects', 'indexed'] as const) {
      for (const order of ['asc', 'desc'] as const) {
        for (const filter of filters) {
          for (const fromCursor of [false, true]) {
            const plan = repo.explainPage(filter, { key, order }, fromCursor).join('\n')
            expect(plan, `${key} ${order} ${JSON.stringify(filter)}`).not.toMatch(/TEMP B-TREE/)
          }
        }
        // one page from the middle of the list: a jump, then a cursor step
        const started = performance.now()
        const jumped = repo.page({ filter: { labels: [3] }, sort: { key, order }, offset: 600, limit: 200 })
        const next = repo.page({ filter: { labels: [3] }, sort: { key, order }, cursor: jumped.nextCursor!, limit: 200 })
        expect(next.rows).toHaveLength(200)
        expect(performance.now() - started, `${key} ${order}`).toBeLessThan(500)
      }
    }
  })
})
