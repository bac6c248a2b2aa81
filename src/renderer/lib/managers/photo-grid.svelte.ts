/**
 * The library grid's data: the filter and sort, the total (`photos.count`) and the pages of
 * `photos.list` near the viewport, loaded on demand and never the whole list. A page continues
 * from the previous page's keyset cursor when that page is loaded, else jumps by `offset`. Far
 * pages are dropped; after a library change the shown pages stay on screen until their fresh
 * copies arrive (no flash of empty tiles).
 */
import type { PhotoCard } from '../../../shared/api-contract.js'
import { pageSlot, pagesFor } from '../geometry/grid-layout.js'
import { call } from '../api.js'
import { countRequest, DEFAULT_SORT, PAGE_SIZE, pageRequest, type PhotoFilter, type PhotoSort } from '../grid-requests.js'
import { errorMessage } from './toasts.svelte.js'

export { PAGE_SIZE, type PhotoFilter, type PhotoSort }
/** Pages kept in memory at most (the ones farthest from the viewport go first). */
export const MAX_PAGES = 24

interface Page {
  items: PhotoCard[]
  nextCursor: string | null
}

/** Removes empty fields so requests and comparisons see only real filters. */
export function cleanFilter(filter: PhotoFilter): PhotoFilter {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(filter)) {
    if (v === undefined || v === null || v === '') continue
    if (Array.isArray(v) && v.length === 0) continue
    out[k] = v
  }
  return out as PhotoFilter
}

/** Number of active filters (for a badge on the filter button). */
export function activeFilterCount(filter: PhotoFilter): number {
  const f = cleanFilter(filter)
  return Object.keys(f).filter((k) => k !== 'labelState').length
}

/** Paged, filtered, sorted photos of the library. */
export class PhotoGrid {
  filter = $state.raw<PhotoFilter>({})
  sort = $state.raw<PhotoSort>(DEFAULT_SORT)
  /** Photos matching the filter; null until counted. */
  total = $state<number | null>(null)
  error = $state<string | null>(null)
  /** Bumped whenever a page arrives or leaves: read it to re-render tiles. */
  version = $state(0)
  /** Index of the focused tile (keyboard), -1 for none. */
  focusIndex = $state(-1)
  /** Where the grid was scrolled to (kept across visits to a photo; not reactive). */
  scrollTop = 0

  // Plain maps on purpose: `version` is the one reactive signal, bumped once per page, so a page
  // of 200 cards never becomes 200 proxies.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #pages = new Map<number, Page>()
  /** Pages of the previous generation, shown until the fresh page arrives. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #stale = new Map<number, Page>()
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #loading = new Map<number, Promise<void>>()
  #generation = 0
  #lastRange = { start: 0, end: 0 }

  /** The photo at `index` of the ordered list, if its page is loaded. */
  itemAt(index: number): PhotoCard | undefined {
    void this.version
    const { page, slot } = pageSlot(index, PAGE_SIZE)
    return (this.#pages.get(page) ?? this.#stale.get(page))?.items[slot]
  }

  /** The index of photo `id` if a loaded page holds it, else -1. */
  indexOf(id: number): number {
    for (const [page, { items }] of this.#pages) {
      const slot = items.findIndex((p) => p.id === id)
      if (slot >= 0) return page * PAGE_SIZE + slot
    }
    return -1
  }

  /**
   * The ids of items `[start, end]` (inclusive) in the grid's order, for a Shift range or Ctrl+A:
   * from loaded pages, the rest read by offset (500 a request), without keeping those pages.
   */
  async idsBetween(start: number, end: number): Promise<number[]> {
    const last = Math.min(end, (this.total ?? 0) - 1)
    const ids: number[] = []
    let i = Math.max(0, start)
    while (i <= last) {
      const known = this.itemAt(i)
      if (known) {
        ids.push(known.id)
        i++
        continue
      }
      const limit = Math.min(500, last - i + 1)
      const { items } = await call('photos.list', { filter: this.filter, sort: this.sort, offset: i, limit })
      if (items.length === 0) break
      ids.push(...items.map((p) => p.id))
      i += items.length
    }
    return ids
  }

  /** Loaded page numbers (for tests and diagnostics). */
  loadedPages(): number[] {
    void this.version
    return [...this.#pages.keys()].sort((a, b) => a - b)
  }

  /** Sets filter and sort, starts over from an empty grid and counts again. */
  async setQuery(filter: PhotoFilter, sort: PhotoSort = this.sort): Promise<void> {
    this.filter = cleanFilter(filter)
    this.sort = sort
    this.#generation++
    this.#pages.clear()
    this.#stale.clear()
    this.#loading.clear()
    this.focusIndex = -1
    this.scrollTop = 0
    this.total = null
    this.error = null
    this.version++
    await Promise.all([this.#count(), this.#loadWanted()])
    await this.ensure(this.#lastRange.start, this.#lastRange.end)
  }

  /** Counts and reloads the pages on screen, keeping the old ones visible meanwhile. */
  async refresh(): Promise<void> {
    this.#generation++
    for (const [k, v] of this.#pages) this.#stale.set(k, v)
    this.#pages.clear()
    this.#loading.clear()
    this.error = null
    await Promise.all([this.#count(), this.#loadWanted()])
    await this.ensure(this.#lastRange.start, this.#lastRange.end)
    this.#stale.clear()
    this.version++
  }

  /** Makes sure items `[start, end)` are loaded (call with the rows near the viewport). */
  async ensure(start: number, end: number): Promise<void> {
    this.#lastRange = { start, end }
    const total = this.total ?? 0
    const pages = pagesFor(Math.max(0, start), Math.min(end, total), PAGE_SIZE)
    await Promise.all(pages.map((p) => this.#load(p)))
    this.#evict(pages)
  }

  /**
   * Loads the pages of the last range asked for (at least the first page) without waiting for the
   * count: a page does not need the total (one past the end comes back empty), so the first
   * tiles arrive one round trip sooner.
   */
  async #loadWanted(): Promise<void> {
    const { start, end } = this.#lastRange
    await Promise.all(pagesFor(start, Math.max(end, start + 1), PAGE_SIZE).map((p) => this.#load(p)))
  }

  async #count(): Promise<void> {
    const generation = this.#generation
    try {
      const { total } = await call('photos.count', countRequest(this.filter))
      // A new query's tiles are built once, with their photos: the total waits for the first page
      // asked for with it (the same kind of query; a failed page still lets the total through).
      if (this.total === null) await this.#loading.get(Math.floor(this.#lastRange.start / PAGE_SIZE))
      if (generation !== this.#generation) return
      this.total = total
    } catch (err) {
      if (generation === this.#generation) this.error = errorMessage(err)
    }
  }

  #load(page: number): Promise<void> {
    if (this.#pages.has(page)) return Promise.resolve()
    const pending = this.#loading.get(page)
    if (pending) return pending
    const generation = this.#generation
    const task = call('photos.list', pageRequest(this.filter, this.sort, page, this.#pages.get(page - 1)?.nextCursor)).then(
      (reply) => {
        if (generation !== this.#generation) return
        this.#pages.set(page, { items: reply.items, nextCursor: reply.nextCursor })
        this.#stale.delete(page)
        this.#loading.delete(page)
        this.error = null
        this.version++
      },
      (err: unknown) => {
        if (generation !== this.#generation) return
        this.#loading.delete(page)
        this.error = errorMessage(err)
      },
    )
    this.#loading.set(page, task)
    return task
  }

  #evict(wanted: number[]): void {
    if (this.#pages.size <= MAX_PAGES || wanted.length === 0) return
    const centre = (wanted[0] + wanted[wanted.length - 1]) / 2
    const far = [...this.#pages.keys()].sort((a, b) => Math.abs(b - centre) - Math.abs(a - centre))
    for (const p of far.slice(0, this.#pages.size - MAX_PAGES)) this.#pages.delete(p)
    this.version++
  }
}
