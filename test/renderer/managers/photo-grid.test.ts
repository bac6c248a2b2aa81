import { mockApi, settle } from '../support/mock-api.js'
import { beforeEach, describe, expect, it } from 'vitest'
import { activeFilterCount, cleanFilter, MAX_PAGES, PAGE_SIZE, PhotoGrid } from '../../../src/renderer/lib/managers/photo-grid.svelte.js'
import { serveFakeLibrary } from '../support/fake-library.js'

describe('PhotoGrid paging', () => {
  beforeEach(() => mockApi.reset())

  it('counts while loading the first page, then loads only the pages near the viewport, continuing by cursor and jumping by offset', async () => {
    serveFakeLibrary(100_000)
    const grid = new PhotoGrid()
    await grid.setQuery({})
    expect(grid.total).toBe(100_000)
    // the first page is asked together with the count, not after it
    expect(mockApi.callsOf('photos.list')).toEqual([{ filter: {}, sort: { key: 'added', order: 'desc' }, limit: PAGE_SIZE, offset: 0 }])

    await grid.ensure(0, 60)
    await grid.ensure(150, 260)
    expect(grid.loadedPages()).toEqual([0, 1])
    const lists = mockApi.callsOf('photos.list')
    expect(lists.map((r) => ({ offset: r.offset, cursor: r.cursor }))).toEqual([
      { offset: 0, cursor: undefined },
      { offset: undefined, cursor: `after:${PAGE_SIZE}` },
    ])
    expect(lists.every((r) => r.limit === PAGE_SIZE)).toBe(true)
    expect(grid.itemAt(259)?.name).toBe('IMG_259.jpg')

    // A scrollbar jump to the middle asks by offset, not by walking every page before it.
    await grid.ensure(50_010, 50_070)
    expect(mockApi.callsOf('photos.list').at(-1)).toMatchObject({ offset: 50_000 })
    expect(grid.itemAt(50_010)?.id).toBe(50_011)
    expect(grid.itemAt(30_000)).toBeUndefined()
  })

  it("shows a new query's total together with its first page, so its tiles are built once, with their photos", async () => {
    serveFakeLibrary(1000)
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const { card } = await import('../support/fake-library.js')
    mockApi.handle('photos.list', async (req) => {
      await gate
      return { items: Array.from({ length: 10 }, (_, i) => card(i)), nextCursor: null, offset: req.offset ?? 0 }
    })
    const grid = new PhotoGrid()
    const query = grid.setQuery({})
    await settle()
    expect(mockApi.callsOf('photos.count')).toHaveLength(1) // answered
    expect(grid.total).toBeNull() // but not shown without the page
    release()
    await query
    expect(grid.total).toBe(1000)
    expect(grid.itemAt(0)?.name).toBe('IMG_0.jpg')
    // A refresh keeps showing the old total meanwhile (no wait: the tiles exist).
    await grid.refresh()
    expect(grid.total).toBe(1000)
  })

  it('asks for each page once even when the viewport reports it many times', async () => {
    serveFakeLibrary(1000)
    const grid = new PhotoGrid()
    await grid.setQuery({})
    await Promise.all([grid.ensure(0, 50), grid.ensure(10, 60), grid.ensure(20, 70)])
    expect(mockApi.callsOf('photos.list')).toHaveLength(1)
    // Never past the end of the list.
    await grid.ensure(900, 5000)
    expect(grid.loadedPages()).toEqual([0, 4])
  })

  it('keeps at most MAX_PAGES pages, dropping the farthest from the viewport', async () => {
    serveFakeLibrary(100_000)
    const grid = new PhotoGrid()
    await grid.setQuery({})
    for (let p = 0; p < MAX_PAGES + 10; p++) await grid.ensure(p * PAGE_SIZE, p * PAGE_SIZE + 10)
    const pages = grid.loadedPages()
    expect(pages).toHaveLength(MAX_PAGES)
    expect(pages.at(-1)).toBe(MAX_PAGES + 9)
    expect(pages[0]).toBe(10)
  })

  it('drops answers for an old filter and sends only real filters', async () => {
    serveFakeLibrary(500)
    const grid = new PhotoGrid()
    await grid.setQuery({})
    const slow = grid.ensure(0, 50)
    const changed = grid.setQuery({ text: 'IMG', labels: [], minObjects: undefined }, { key: 'name', order: 'asc' })
    await Promise.all([slow, changed])
    expect(mockApi.callsOf('photos.count').at(-1)).toEqual({ filter: { text: 'IMG' } })
    expect(grid.sort).toEqual({ key: 'name', order: 'asc' })
    // The page asked under the old query was not kept; the view asks again under the new one.
    await grid.ensure(0, 50)
    expect(mockApi.callsOf('photos.list').at(-1)).toMatchObject({ filter: { text: 'IMG' }, sort: { key: 'name', order: 'asc' }, offset: 0 })
    expect(grid.itemAt(0)?.name).toBe('match-IMG_0.jpg')
  })

  it('refreshes after a library change without blanking the tiles on screen', async () => {
    const lib = serveFakeLibrary(300)
    const grid = new PhotoGrid()
    await grid.setQuery({})
    await grid.ensure(0, 40)
    lib.setTotal(350)
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    mockApi.handle('photos.list', async (req) => {
      await gate
      return { items: [{ ...(await import('../support/fake-library.js')).card(0), name: 'fresh.jpg' }], nextCursor: null, offset: req.offset ?? 0 }
    })
    const refreshing = grid.refresh()
    await settle()
    expect(grid.total).toBe(350)
    expect(grid.itemAt(0)?.name).toBe('IMG_0.jpg')
    release()
    await refreshing
    expect(grid.itemAt(0)?.name).toBe('fresh.jpg')
  })

  it('shows a failed page as an error and tries again on the next request', async () => {
    serveFakeLibrary(100)
    const grid = new PhotoGrid()
    mockApi.fail('photos.list', 'database is busy')
    await grid.setQuery({})
    // the count succeeded alongside the failed page: the page's error stays shown
    expect(grid.total).toBe(100)
    expect(grid.error).toBe('database is busy')
    await grid.ensure(0, 10)
    expect(grid.error).toBe('database is busy')
    serveFakeLibrary(100)
    await grid.ensure(0, 10)
    expect(grid.error).toBeNull()
    expect(grid.itemAt(5)?.id).toBe(6)
  })

  it('cleans filters and counts the active ones', () => {
    expect(cleanFilter({ labels: [], text: '', status: 'failed', minObjects: 0 })).toEqual({ status: 'failed', minObjects: 0 })
    expect(activeFilterCount({ labels: [1], labelState: 'positive', text: '' })).toBe(1)
  })
})
