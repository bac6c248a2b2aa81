/**
 * Server-side cost of what the grid and the photo view ask for, one request at a time from the
 * page (so each figure is the server's work plus one local HTTP round trip): the photo view's
 * three API calls and its photo (first render, then from the server's cache), a thumbnail, and
 * the grid's status, count and offset pages.
 */
import type { Page } from 'playwright-core'

/** Median and max ms per request kind. */
export type ApiLatencies = Record<string, { median: number; max: number }>

/** Times `rounds` of each request on photos below `topId` (ids `topId - 500 - 37 k`). */
export function apiLatencies(page: Page, topId: number, rounds = 8): Promise<ApiLatencies> {
  return page.evaluate(async ({ topId, rounds }) => {
    const post = (channel: string, body: unknown): Promise<Response> =>
      fetch(`/api/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    const samples: Record<string, number[]> = {}
    const time = async (kind: string, request: () => Promise<Response>): Promise<void> => {
      const t0 = performance.now()
      const reply = await request()
      await reply.arrayBuffer()
      if (!reply.ok) throw new Error(`${kind}: HTTP ${reply.status}`)
      ;(samples[kind] ??= []).push(performance.now() - t0)
    }
    const sort = { key: 'added', order: 'desc' }
    for (let i = 0; i < rounds; i++) {
      const id = Math.max(1, topId - 500 - 37 * i)
      await time('photos.get', () => post('photos.get', { id }))
      await time('photos.graph', () => post('photos.graph', { id }))
      await time('photos.neighbours', () => post('photos.neighbours', { id, filter: {}, sort }))
      await time('media/photo (first)', () => fetch(`/media/photo/${id}`))
      await time('media/photo (cached)', () => fetch(`/media/photo/${id}`))
      await time('media/thumb', () => fetch(`/media/thumb/${id}`))
      await time('library.status', () => post('library.status', {}))
      await time('photos.count', () => post('photos.count', { filter: {} }))
      await time('photos.list (offset jump)', () => post('photos.list', { filter: {}, sort, limit: 200, offset: Math.floor((topId * i) / rounds / 200) * 200 }))
    }
    const out: Record<string, { median: number; max: number }> = {}
    for (const [kind, xs] of Object.entries(samples)) {
      xs.sort((a, b) => a - b)
      out[kind] = { median: xs[xs.length >> 1], max: xs[xs.length - 1] }
    }
    return out
  }, { topId, rounds })
}
