/** The app engine's pure parts: object grouping, explanation views, the rate meter, the LRU and the event bus. */
import { describe, expect, it } from 'vitest'
import type { SearchQueryView } from '../../../src/shared/api-contract.js'
import type { Box } from '../../../src/shared/domain.js'
import { EventBus } from '../../../src/main/app/event-bus.js'
import { LruCache } from '../../../src/main/app/lru-cache.js'
import { groupObjects, sameObject } from '../../../src/main/app/photo-objects.js'
import { RateMeter } from '../../../src/main/app/rate-meter.js'
import { closeness, summary, uniqueMatches } from '../../../src/main/app/search-view.js'
import type { SearchResult } from '../../../src/main/engine/search/types.js'
import type { ObjectRecord } from '../../../src/main/engine/store/types.js'

const NAMES = ['person', 'bicycle', 'car', 'dog', 'cat']
const object = (id: number, box: Box, classId: number, score: number | null): ObjectRecord => ({
  id, photoId: 1, box, classId, score, source: score === null ? 'human' : 'detector', modelVersion: score === null ? null : 'm@1', createdAt: 0,
})

describe('groupObjects', () => {
  it('shows overlapping detections of several classes as one object with alternatives, best first', () => {
    const groups = groupObjects([
      object(1, [0, 0, 100, 100], 4, 0.4), // cat on the dog's box
      object(2, [0, 0, 100, 98], 3, 0.9), // dog
      object(3, [200, 0, 260, 100], 0, 0.7), // a person elsewhere
      object(4, [1, 1, 99, 99], 2, 0.3), // car, also on the dog's box
      object(5, [0, 0, 100, 100], 0, null), // drawn by a person: its own object
      object(6, [2, 0, 100, 100], 4, 0.35), // a second cat guess: same class, not listed twice
    ], (c) => NAMES[c])
    expect(groups.map((g) => [g.id, g.className, g.memberIds, g.alternatives.map((a) => a.className)])).toEqual([
      [2, 'dog', [2, 1, 6, 4], ['cat', 'car']],
      [3, 'person', [3], []],
      [5, 'person', [5], []],
    ])
    expect(groups[0].alternatives[0]).toEqual({ classId: 4, className: 'cat', score: 0.4 })
    expect(groups[2]).toMatchObject({ source: 'human', score: null })
  })

  it('uses IoU >= 0.7 exactly, as the SQL count does', () => {
    expect(sameObject([0, 0, 10, 10], [0, 0, 10, 7])).toBe(true) // IoU 0.7
    expect(sameObject([0, 0, 10, 10], [0, 0, 10, 6.9])).toBe(false)
    expect(sameObject([0, 0, 0, 0], [0, 0, 0, 0])).toBe(false) // empty boxes never merge
  })
})

describe('explanation views', () => {
  const match = (q: number, r: number, cost: number) => ({
    queryObject: { index: q, classId: 3, className: 'dog', box: [0, 0, 1, 1] as Box },
    resultObject: { id: r, classId: 3, className: 'dog', box: [0, 0, 2, 2] as Box },
    cost, mass: 0.8,
  })
  const result = (matches: ReturnType<typeof match>[], unmatchedQuery: number[] = [], unmatchedResult: number[] = []): SearchResult => ({
    photoId: 7, path: '/p/x.jpg', thumbnail: null, similarity: 0.9, labels: ['dog'],
    explanation: { matches, unmatchedQuery, unmatchedResult, transportCost: 0.1, sharedLabels: ['dog'], queryOnlyLabels: [], resultOnlyLabels: [] },
  })

  it('says the cost in words, closest first', () => {
    expect([0, 0.1, 0.2, 0.4, 0.7, 2].map(closeness)).toEqual(['nearly identical', 'very close', 'close', 'similar', 'loosely related', 'loosely related'])
  })

  it('keeps one pair per query object and per result object, the cheapest, and lists the rest as unmatched', () => {
    const view = uniqueMatches(result([match(1, 11, 0.2), match(0, 11, 0.1), match(0, 12, 0.3), match(2, 13, 0.4)], [3], [14]))
    expect(view.matches.map((m) => [m.queryIndex, m.resultObjectId, m.closeness])).toEqual([[0, 11, 'very close'], [2, 13, 'similar']])
    expect(view.unmatchedQuery).toEqual([1, 3])
    expect(view.unmatchedResult.sort()).toEqual([12, 14])
  })

  it('summarises a result in one line', () => {
    const query = { labels: ['dog', 'frisbee'], objects: [{ className: 'dog' }] } as SearchQueryView
    const { matches } = uniqueMatches(result([match(0, 11, 0.1)]))
    expect(summary(query, ['dog', 'frisbee'], matches)).toBe('shares dog, frisbee; dog↔dog very close')
    expect(summary(query, ['a', 'b', 'c', 'd', 'e'], [])).toBe('shares a, b, c and 2 more; no object matched')
    expect(summary(query, [], matches)).toBe('no shared labels; dog↔dog very close')
    expect(summary({ labels: [], objects: [] } as unknown as SearchQueryView, [], [])).toBe('similar overall')
  })
})

describe('RateMeter', () => {
  it('reports completions per second over the window and the time left', () => {
    const m = new RateMeter(0, 10_000)
    expect(m.rate(0)).toBeNull()
    expect(m.eta(10, 0)).toBeNull()
    for (let t = 500; t <= 2000; t += 500) m.record(t) // 4 in 2 s
    expect(m.rate(2000)).toBeCloseTo(2)
    expect(m.eta(10, 2000)).toBe(5)
    expect(m.eta(null, 2000)).toBeNull()
    for (let t = 20_000; t <= 30_000; t += 1000) m.record(t) // 11 in the last 10 s window
    expect(m.rate(30_000)).toBeCloseTo(1.1)
    expect(m.rate(60_000)).toBe(0)
    expect(m.eta(5, 60_000)).toBeNull()
  })
})

describe('LruCache', () => {
  it('drops the least recently used beyond max, and entries older than the time to live', () => {
    let now = 0
    const cache = new LruCache<string, number>({ max: 2, ttlMs: 100, now: () => now })
    cache.set('a', 1)
    cache.set('b', 2)
    expect(cache.get('a')).toBe(1) // a is now the most recent
    cache.set('c', 3)
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([1, undefined, 3])
    now = 101
    expect(cache.get('a')).toBeUndefined()
    cache.set('d', 4)
    expect(cache.size).toBe(1)
  })
})

describe('EventBus', () => {
  it('delivers typed events to every listener until it unsubscribes, whatever another listener throws', () => {
    const errors: unknown[] = []
    const bus = new EventBus((e) => errors.push(e))
    const got: string[] = []
    bus.subscribe(() => {
      throw new Error('broken socket')
    })
    const off = bus.subscribe((m) => got.push(m.event))
    bus.emit('settings.changed', { detectionThreshold: 0.3, sceneCount: 6 })
    off()
    bus.emit('library.changed', { reason: 'folders' })
    expect(got).toEqual(['settings.changed'])
    expect(errors).toHaveLength(2)
    expect(bus.size).toBe(1)
  })
})
