/**
 * A made-up library of `total` photos answering `photos.count` / `photos.list` through the API
 * mock, with keyset cursors ("after:<offset>") and offset jumps, for the grid paging tests.
 */
import type { PhotoCard } from '../../../src/shared/api-types.js'
import { mockApi } from './mock-api.js'

/** A card for the photo at `offset` of the ordered list. */
export function card(offset: number, prefix = 'IMG'): PhotoCard {
  return { id: offset + 1, name: `${prefix}_${offset}.jpg`, width: 640, height: 480, status: 'indexed', objects: offset % 7, labels: [], error: null, version: (offset + 1).toString(16).padStart(16, '0'), thumbnail: true }
}

/** Serves a library of `total` photos; returns a control to change its size. */
export function serveFakeLibrary(total: number): { setTotal(n: number): void } {
  let size = total
  mockApi.handle('photos.count', () => ({ total: size }))
  mockApi.handle('photos.list', (req) => {
    const limit = req.limit ?? 200
    const start = req.cursor ? Number(req.cursor.replace('after:', '')) : (req.offset ?? 0)
    const end = Math.min(size, start + limit)
    const items: PhotoCard[] = []
    // A text filter shows in the names, so a test can tell which query a page answered.
    for (let i = start; i < end; i++) items.push(card(i, req.filter?.text ? `match-${req.filter.text}` : 'IMG'))
    return { items, nextCursor: end < size ? `after:${end}` : null, offset: start }
  })
  return { setTotal: (n) => (size = n) }
}
