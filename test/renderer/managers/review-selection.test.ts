import { mockApi } from '../support/mock-api.js'
import { beforeEach, describe, expect, it } from 'vitest'
import type { ReviewItem } from '../../../src/shared/api-contract.js'
import { appendPage, REVIEW_PAGE, ReviewQueue, rowHumanState } from '../../../src/renderer/lib/managers/review.svelte.js'
import { clickIntent, indexRange, namesByClassId, Selection } from '../../../src/renderer/lib/managers/selection.svelte.js'
import { PhotoGrid } from '../../../src/renderer/lib/managers/photo-grid.svelte.js'
import { serveFakeLibrary } from '../support/fake-library.js'

const edit = (photoIds: number[]) => ({ edit: { editId: 1, action: 'x', actor: 'me', at: 1, photoIds }, undoState: { undo: null, redo: null } })

/** A queue of `total` photos by descending score, served page by page from the keyset cursor. */
function serveQueue(total: number): void {
  const all: ReviewItem[] = Array.from({ length: total }, (_, i) => ({
    photoId: i + 1, name: `p${i + 1}.jpg`, score: 1 - i / (total + 1), classId: i % 3, className: ['dog', 'cat', 'car'][i % 3],
    modelConfidence: 0.5, humanState: null,
  }))
  mockApi.handle('review.queue', (req) => {
    const start = req.cursor ? all.findIndex((i) => i.photoId === req.cursor!.photoId) + 1 : 0
    const items = all.slice(start, start + (req.limit ?? 50))
    const last = items.at(-1)
    return { items, next: items.length === (req.limit ?? 50) && last ? { score: last.score, photoId: last.photoId } : null }
  })
}

describe('ReviewQueue', () => {
  beforeEach(() => mockApi.reset())

  it('pages by keyset cursor to the end, in the order asked, without repeating a photo', async () => {
    serveQueue(120)
    const q = new ReviewQueue()
    await q.setOrder('disagreement')
    expect(q.rows).toHaveLength(REVIEW_PAGE)
    expect(q.focusIndex).toBe(0)
    await q.loadMore()
    await q.loadMore()
    await q.loadMore()
    expect(q.rows.map((r) => r.photoId)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1))
    expect(q.next).toBeNull()
    const calls = mockApi.callsOf('review.queue')
    expect(calls.every((c) => c.order === 'disagreement' && c.includeReviewed === false)).toBe(true)
    expect(calls[1].cursor).toEqual({ score: q.rows[49].score, photoId: 50 })
    expect(calls).toHaveLength(3)
  })

  it('accepts and rejects a row in place, committed through labels.set first', async () => {
    serveQueue(5)
    mockApi.handle('labels.set', (r) => edit([r.photoId]))
    const q = new ReviewQueue()
    await q.reload()
    await q.decide(1, 'negative')
    expect(mockApi.callsOf('labels.set')).toEqual([{ photoId: 2, classId: 1, state: 'negative' }])
    expect(rowHumanState(q.rows[1])).toBe('negative')
    expect(q.rows.map((r) => r.photoId)).toEqual([1, 2, 3, 4, 5])
    // A refused edit leaves the row as it was.
    mockApi.handle('labels.set', () => Promise.reject(new Error('disk full')))
    await expect(q.decide(2, 'positive')).rejects.toThrow('disk full')
    expect(rowHumanState(q.rows[2])).toBeNull()
  })

  it('marks rows reviewed, moves the focus within the list and selects ranges of rows', async () => {
    serveQueue(8)
    mockApi.handle('photos.review', (r) => edit(r.photoIds))
    const q = new ReviewQueue()
    await q.reload()
    await q.markReviewed([3, 4])
    expect(q.rows.filter((r) => r.reviewed).map((r) => r.photoId)).toEqual([3, 4])
    q.move(-1)
    expect(q.focusIndex).toBe(0)
    q.move(100)
    expect(q.focusIndex).toBe(7)
    q.selection.toggle(q.rows[5].photoId, 5)
    await q.selection.extend(2, (a, b) => q.idsBetween(a, b))
    expect([...q.selection.ids].sort()).toEqual([3, 4, 5, 6])
  })

  it('appendPage skips photos already listed', () => {
    const item = (photoId: number) => ({ photoId, name: '', score: 0.5, classId: 0, className: 'dog', modelConfidence: null, humanState: null })
    expect(appendPage([item(1), item(2)], { items: [item(2), item(3)], next: null }).map((r) => r.photoId)).toEqual([1, 2, 3])
  })
})

describe('Selection', () => {
  beforeEach(() => mockApi.reset())

  it('reads clicks as open, toggle or range', () => {
    const e = (k: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }>) => ({ ctrlKey: false, metaKey: false, shiftKey: false, ...k })
    expect(clickIntent(e({}), false)).toBe('open')
    expect(clickIntent(e({}), true)).toBe('toggle')
    expect(clickIntent(e({ metaKey: true }), false)).toBe('toggle')
    expect(clickIntent(e({ shiftKey: true, ctrlKey: true }), false)).toBe('range')
    expect(indexRange(9, 2)).toEqual([2, 9])
  })

  it('selects a Shift range and Ctrl+A over the grid, loading ids it has not paged in', async () => {
    serveFakeLibrary(1200)
    const grid = new PhotoGrid()
    await grid.setQuery({})
    await grid.ensure(0, 100)
    const sel = new Selection()
    sel.toggle(grid.itemAt(3)!.id, 3)
    await sel.extend(450, (a, b) => grid.idsBetween(a, b))
    expect(sel.count).toBe(448)
    expect(sel.has(4) && sel.has(451) && !sel.has(452)).toBe(true)
    // Only the part past the loaded page was asked for, by offset.
    expect(mockApi.callsOf('photos.list').slice(1).map((r) => [r.offset, r.limit])).toEqual([[200, 251]])
    await sel.selectAll(() => grid.idsBetween(0, (grid.total ?? 0) - 1))
    expect(sel.count).toBe(1200)
    sel.toggle(7, 6)
    expect(sel.count).toBe(1199)
    sel.clear()
    expect(sel.count).toBe(0)
    expect(sel.anchor).toBeNull()
  })

  it('keeps names by class id (custom classes may leave gaps)', () => {
    const names = namesByClassId([{ classId: 0, name: 'person', custom: false }, { classId: 81, name: 'kayak', custom: true }])
    expect(names[81]).toBe('kayak')
    const listed: number[] = []
    names.forEach((_, i) => listed.push(i))
    expect(listed).toEqual([0, 81])
  })
})

describe('ReviewQueue.refreshRow', () => {
  beforeEach(() => mockApi.reset())

  it('shows what the photo view changed on the row it was opened from', async () => {
    serveQueue(3)
    mockApi.handle('annotations.get', ({ photoId }) => ({
      photoId, width: 10, height: 10, reviewedAt: 5, boxes: [], undoState: { undo: null, redo: null },
      labels: [{ classId: 1, name: 'cat', state: 'negative', source: 'human', origin: 'hand', confidence: 0.5, human: { state: 'negative', origin: 'hand', updatedAt: 1 }, model: null }],
    }))
    const q = new ReviewQueue()
    await q.reload()
    await q.refreshRow(1)
    expect(rowHumanState(q.rows[1])).toBe('negative')
    expect(q.rows[1].reviewed).toBe(true)
    expect(rowHumanState(q.rows[0])).toBeNull()
  })
})
