import { mockApi } from '../support/mock-api.js'
import { beforeEach, describe, expect, it } from 'vitest'
import { queryOf, SearchManager, sourcePhotoId } from '../../../src/renderer/lib/managers/search.svelte.js'
import type { SearchResponse } from '../../../src/shared/api-types.js'

const response = (n: number): SearchResponse => ({
  query: { mode: 'photo', photoId: 1, uploadId: null, width: 640, height: 480, objects: [], labels: [] },
  results: Array.from({ length: n }, (_, i) => ({
    photoId: 10 + i,
    name: `r${i}.jpg`,
    width: 640,
    height: 480,
    similarity: 1 - i / 10,
    labels: [],
    explanation: { matches: [], sharedLabels: [], queryOnlyLabels: [], resultOnlyLabels: [], unmatchedQuery: [], unmatchedResult: [], summary: '' },
  })),
  tookMs: 3,
})

describe('SearchManager', () => {
  beforeEach(() => {
    mockApi.reset()
    mockApi.handle('search.run', () => response(3))
  })

  it('turns each kind of query source into a search.run query', () => {
    expect(queryOf({ kind: 'photo', photoId: 3 })).toEqual({ kind: 'photo', photoId: 3 })
    expect(queryOf({ kind: 'objects', photoId: 3, objectIds: [5, 6] })).toEqual({ kind: 'objects', objectIds: [5, 6] })
    expect(queryOf({ kind: 'boxes', photoId: 3, boxes: [[1, 2, 3, 4]] })).toEqual({ kind: 'boxes', photoId: 3, boxes: [[1, 2, 3, 4]] })
    const upload = { uploadId: 'u1', name: 'x.jpg', width: 1, height: 1, preview: 'data:', objects: [] }
    expect(queryOf({ kind: 'upload', upload })).toEqual({ kind: 'upload', uploadId: 'u1' })
    expect(sourcePhotoId({ kind: 'upload', upload })).toBeNull()
    expect(sourcePhotoId({ kind: 'objects', photoId: 3, objectIds: [5] })).toBe(3)
  })

  it('searches with a library photo and with label filters, a label in one list only', async () => {
    const search = new SearchManager()
    await search.run()
    expect(mockApi.callsOf('search.run')).toEqual([])
    await search.searchWith({ kind: 'photo', photoId: 1 })
    expect(search.response?.results).toHaveLength(3)
    await search.addLabel('with', 16)
    await search.addLabel('without', 0)
    await search.addLabel('without', 16)
    expect(search.withLabels).toEqual([])
    expect(search.withoutLabels).toEqual([0, 16])
    expect(mockApi.callsOf('search.run').at(-1)).toMatchObject({ query: { kind: 'photo', photoId: 1 }, with: [], without: [0, 16] })
    await search.removeLabel('without', 0)
    expect(mockApi.callsOf('search.run').at(-1)?.without).toEqual([16])
  })

  it('uploads an outside photo, then searches by its upload id', async () => {
    mockApi.handle('uploads.add', ({ name }) => ({ uploadId: 'up-1', name: name ?? 'photo', width: 800, height: 600, preview: 'data:image/jpeg;base64,AA', objects: [] }))
    const search = new SearchManager()
    await search.searchWithUpload('beach.jpg', 'QUJD')
    expect(mockApi.callsOf('uploads.add')).toEqual([{ name: 'beach.jpg', data: 'QUJD' }])
    expect(mockApi.callsOf('search.run').at(-1)?.query).toEqual({ kind: 'upload', uploadId: 'up-1' })
    expect(search.source?.kind).toBe('upload')
  })

  it('says why an upload or a search failed, and closes an explanation whose result is gone', async () => {
    mockApi.fail('uploads.add', 'beach.jpg is not a photo Constella can read')
    const search = new SearchManager()
    await search.searchWithUpload('beach.jpg', 'QUJD')
    expect(search.error).toBe('beach.jpg is not a photo Constella can read')
    expect(search.running).toBe(false)

    await search.searchWith({ kind: 'photo', photoId: 1 })
    search.openIndex = 2
    expect(search.openResult?.name).toBe('r2.jpg')
    mockApi.handle('search.run', () => response(1))
    await search.run()
    expect(search.openIndex).toBeNull()
    mockApi.fail('search.run', 'index not built')
    await search.run()
    expect(search.error).toBe('index not built')
    expect(search.response).toBeNull()
  })

  it('searches with picked objects, or with drawn boxes plus the picked objects\' boxes, of the query photo', async () => {
    const { photoDetail } = await import('../support/records.js')
    mockApi.handle('photos.get', ({ id }) => photoDetail(id))
    const search = new SearchManager()
    await search.searchWith({ kind: 'photo', photoId: 7 })
    expect(search.queryPhoto?.id).toBe(7)
    search.toggleDraftObject(1)
    search.toggleDraftObject(4)
    search.toggleDraftObject(1)
    await search.searchDraft()
    expect(mockApi.callsOf('search.run').at(-1)?.query).toEqual({ kind: 'objects', objectIds: [4] })
    search.addDraftBox([5, 5, 50, 50])
    await search.searchDraft()
    expect(mockApi.callsOf('search.run').at(-1)?.query).toEqual({ kind: 'boxes', photoId: 7, boxes: [[400, 100, 600, 470], [5, 5, 50, 50]] })
    // The same photo is not fetched again for each search.
    expect(mockApi.callsOf('photos.get')).toHaveLength(1)
    search.clear()
    expect(search.draftBoxes).toEqual([])
  })
})
