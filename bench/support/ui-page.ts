/**
 * In-page instruments of the UI benchmark, installed before the app's scripts run: a
 * PerformanceObserver for 'longtask' entries, a requestAnimationFrame recorder of frame times,
 * and the first grid thumbnail drawn and painted (tiles draw their thumbnails into a canvas, and
 * say so with data-thumbnail="shown"; Element Timing does not cover canvases). Plus small
 * in-page reads of the grid (tiles on screen, thumbnails shown).
 */
import type { Page } from 'playwright-core'

/** What the instruments collect, as `window.__bench`. */
export interface BenchState {
  longtasks: { start: number; duration: number }[]
  /** rAF timestamps while `recording`. */
  frames: number[]
  recording: boolean
  /** The first grid thumbnail painted: the frame after the one it was first seen drawn in, ms since navigation. */
  firstTile: number | null
  /** The frame in which a grid thumbnail was first seen drawn (rAF polling). */
  firstTileFrame: number | null
}

/**
 * Installs the instruments in every document `page` loads. First a shim: tsx (esbuild's
 * keepNames) wraps named functions in `__name(...)`, which functions sent to the page then call.
 */
export async function instrument(page: Page): Promise<void> {
  await page.addInitScript('globalThis.__name ??= (fn) => fn')
  await page.addInitScript(installInstruments)
}

/** Runs in the page before any of its scripts (passed to `addInitScript`). */
export function installInstruments(): void {
  const b: BenchState = { longtasks: [], frames: [], recording: false, firstTile: null, firstTileFrame: null }
  ;(window as unknown as { __bench: BenchState }).__bench = b
  performance.setResourceTimingBufferSize(100_000) // the default 250 fill up with thumbnails
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) b.longtasks.push({ start: e.startTime, duration: e.duration })
  }).observe({ type: 'longtask', buffered: true })
  const loop = (t: number): void => {
    if (b.recording) b.frames.push(t)
    if (b.firstTileFrame === null) {
      if (document.querySelector('[data-testid="photo-tile"][data-thumbnail="shown"]')) b.firstTileFrame = performance.now()
    } else if (b.firstTile === null) {
      b.firstTile = performance.now() // the previous frame, which drew it, has been painted
    }
    requestAnimationFrame(loop)
  }
  requestAnimationFrame(loop)
}

/** Grid tiles on screen, and those of them with a loaded thumbnail; tiles in the DOM; grid height. */
export interface TileCensus {
  visible: number
  visibleLoaded: number
  inDom: number
  domLoaded: number
  placeholders: number
  scrollHeight: number
}

/** Counts the tiles of the grid (in the page). */
export function tileCensus(page: Page): Promise<TileCensus> {
  return page.evaluate(() => {
    const grid = document.querySelector('[data-testid="photo-grid"]')
    if (!grid) return { visible: 0, visibleLoaded: 0, inDom: 0, domLoaded: 0, placeholders: 0, scrollHeight: 0 }
    const r = grid.getBoundingClientRect()
    const tiles = Array.from(grid.querySelectorAll('[data-testid^="photo-tile"]'))
    const loaded = (t: Element): boolean => t.getAttribute('data-thumbnail') === 'shown'
    const onScreen = tiles.filter((t) => {
      const b = t.getBoundingClientRect()
      return b.bottom > r.top && b.top < r.bottom
    })
    return {
      visible: onScreen.length,
      visibleLoaded: onScreen.filter(loaded).length,
      inDom: tiles.length,
      domLoaded: tiles.filter(loaded).length,
      placeholders: tiles.filter((t) => t.getAttribute('data-testid') === 'photo-tile-loading').length,
      scrollHeight: grid.scrollHeight,
    }
  })
}

/**
 * Waits (rAF polling, in the page) until every tile on screen shows its thumbnail; resolves with
 * the time that took in ms, or null after `timeoutMs`.
 */
export function waitVisibleLoaded(page: Page, timeoutMs = 15_000): Promise<number | null> {
  return page.evaluate((timeout) => new Promise<number | null>((resolve) => {
    const t0 = performance.now()
    const check = (): void => {
      const grid = document.querySelector('[data-testid="photo-grid"]')
      if (grid) {
        const r = grid.getBoundingClientRect()
        const tiles = Array.from(grid.querySelectorAll('[data-testid^="photo-tile"]')).filter((t) => {
          const b = t.getBoundingClientRect()
          return b.bottom > r.top && b.top < r.bottom
        })
        const done = tiles.length > 0 && tiles.every((t) => t.getAttribute('data-thumbnail') === 'shown')
        if (done) return resolve(performance.now() - t0)
      }
      if (performance.now() - t0 > timeout) return resolve(null)
      requestAnimationFrame(check)
    }
    check()
  }), timeoutMs)
}

/** Navigation and resource timings of the page, and what the instruments saw while it loaded. */
export interface PageTimings {
  domContentLoaded: number
  firstApi: number | null
  firstList: number | null
  firstThumb: number | null
  firstTile: number | null
  firstTileFrame: number | null
  /** Long tasks since navigation: count over 50 ms and the longest. */
  loadLongTasks: { over50: number; longest: number }
}

/** Reads the timings (ms since navigation start). */
export function pageTimings(page: Page): Promise<PageTimings> {
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
    const res = performance.getEntriesByType('resource') as PerformanceResourceTiming[]
    const first = (part: string): number | null => {
      const ends = res.filter((r) => new URL(r.name).pathname.includes(part)).map((r) => r.responseEnd)
      return ends.length ? Math.min(...ends) : null
    }
    const b = (window as unknown as { __bench: BenchState }).__bench
    return {
      domContentLoaded: nav.domContentLoadedEventEnd,
      firstApi: first('/api/'),
      firstList: first('/api/photos.list'),
      firstThumb: first('/media/thumb/'),
      firstTile: b.firstTile,
      firstTileFrame: b.firstTileFrame,
      loadLongTasks: {
        over50: b.longtasks.filter((t) => t.duration > 50).length,
        longest: Math.max(0, ...b.longtasks.map((t) => t.duration)),
      },
    }
  })
}
