/**
 * Opening photos from the grid with every overlay on: a click on a tile (or → in the photo view)
 * until the photo's full image is shown and its boxes, OT adjacency and GAT attention layers are
 * in the overlay SVG, timed in the page from the input event to the frame that shows it all.
 */
import type { Page } from 'playwright-core'

/** One opened photo. */
export interface OpenedPhoto {
  photoId: number
  /** ms from the click/keydown event to the frame with everything drawn; null if not within the timeout. */
  ms: number | null
  boxes: number
  adjacencyEdges: number
  attentionEdges: number
  /** What was still missing at the timeout. */
  missing?: string
  /** Per request made after the input (API channel, or media/photo): ms from the input to its response's end. */
  requests: Record<string, number>
}

/** Arms the page: the next click or keydown starts the clock (installed before the input is sent). */
function armOpenClock(page: Page): Promise<void> {
  return page.evaluate(() => {
    const w = window as unknown as { __openStart: number | null }
    w.__openStart = null
    performance.clearResourceTimings()
    const onInput = (e: Event): void => {
      w.__openStart ??= e.timeStamp
      window.removeEventListener('click', onInput, { capture: true })
      window.removeEventListener('keydown', onInput, { capture: true })
    }
    window.addEventListener('click', onInput, { capture: true })
    window.addEventListener('keydown', onInput, { capture: true })
  })
}

/**
 * Resolves once the photo view shows a photo other than `previousId` completely (rAF polling in
 * the page), with the time since the armed input; or at the timeout, with what was missing.
 */
function openedPhoto(page: Page, previousId: number, timeoutMs: number): Promise<OpenedPhoto> {
  return page.evaluate(({ previousId, timeoutMs }) => new Promise<OpenedPhoto>((resolve) => {
    const w = window as unknown as { __openStart: number | null }
    const t0 = performance.now()
    const state = (): { id: number; missing: string[]; boxes: number; adjacencyEdges: number; attentionEdges: number } => {
      const id = Number(/^#\/photo\/(\d+)/.exec(location.hash)?.[1] ?? 0)
      const missing: string[] = []
      const img = document.querySelector<HTMLImageElement>('[data-testid="photo-image"]')
      if (!id || id === previousId) missing.push('route')
      if (!img || !img.src.endsWith(`/photo/${id}`) || !img.complete || img.naturalWidth === 0 || !img.classList.contains('shown')) missing.push('image')
      if (document.querySelector('[aria-busy="true"]')) missing.push('detail/graph')
      const count = (sel: string): number => document.querySelectorAll(sel).length
      if (!document.querySelector('[data-testid="overlay"]')) missing.push('overlay svg')
      if (count('[data-testid="object-box"]') === 0) missing.push('boxes')
      if (!document.querySelector('[data-testid="adjacency-layer"]')) missing.push('adjacency layer')
      if (!document.querySelector('[data-testid="attention-layer"]')) missing.push('attention layer')
      return {
        id, missing, boxes: count('[data-testid="object-box"]'),
        adjacencyEdges: count('[data-testid="adjacency-edge"]'), attentionEdges: count('[data-testid="attention-edge"]'),
      }
    }
    const requests = (start: number | null): Record<string, number> => {
      const out: Record<string, number> = {}
      if (start === null) return out
      for (const r of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
        if (r.startTime < start) continue
        const path = new URL(r.name).pathname
        const key = path.startsWith('/api/') ? path.slice(5) : path.replace(/\/\d+$/, '')
        out[key] = Math.max(out[key] ?? 0, r.responseEnd - start)
      }
      return out
    }
    const check = (): void => {
      const s = state()
      const start = w.__openStart
      if (start !== null && s.missing.length === 0) {
        // everything is in the DOM in this frame (rAF runs just before its paint)
        return resolve({ photoId: s.id, ms: performance.now() - start, boxes: s.boxes, adjacencyEdges: s.adjacencyEdges, attentionEdges: s.attentionEdges, requests: requests(start) })
      }
      if (performance.now() - t0 > timeoutMs) {
        return resolve({ photoId: s.id, ms: null, boxes: s.boxes, adjacencyEdges: s.adjacencyEdges, attentionEdges: s.attentionEdges, missing: s.missing.join(', ') || 'no input seen', requests: requests(start) })
      }
      requestAnimationFrame(check)
    }
    requestAnimationFrame(check)
  }), { previousId, timeoutMs })
}

/** The id of the photo the view shows (0 in the grid). */
const shownId = (page: Page): Promise<number> => page.evaluate(() => Number(/^#\/photo\/(\d+)/.exec(location.hash)?.[1] ?? 0))

/** Turns on the adjacency and attention overlays (they stay on: the viewer keeps its toggles). */
export async function enableOverlays(page: Page): Promise<void> {
  await page.getByTestId('photo-tile').first().click()
  await page.getByTestId('photo-view').waitFor()
  for (const name of ['adjacency', 'attention']) {
    const toggle = page.getByTestId(`toggle-${name}`)
    await page.waitForFunction((sel) => !document.querySelector(sel)?.hasAttribute('disabled'), `[data-testid="toggle-${name}"]`)
    if ((await toggle.getAttribute('aria-pressed')) !== 'true' && (await toggle.getAttribute('data-state')) !== 'on') await toggle.click()
  }
  await page.getByTestId('attention-layer').waitFor({ state: 'attached' })
  await page.getByTestId('adjacency-layer').waitFor({ state: 'attached' })
  await page.keyboard.press('Escape')
  await page.getByTestId('photo-grid').waitFor()
}

/** How {@link openPhotos} opens photos. */
export interface OpenOptions {
  /**
   * ms between the grid showing again (Escape) and the next click: a person looks at the grid
   * before clicking (default 500). 0 clicks at once, while the browser still paints the grid
   * and the app still asks ahead for the last photo's neighbour.
   */
  pauseMs?: number
  /** Then step with → through as many neighbours of the last photo clicked (default true). */
  step?: boolean
  /** Photos opened before (never opened again: their replies would be cached); filled in. */
  opened?: Set<number>
  timeoutMs?: number
}

/**
 * Opens `count` photos from the grid (each a tile on screen not opened before, by a click), back
 * to the grid with Escape in between; then steps with → through `count` neighbours of the last.
 */
export async function openPhotos(page: Page, count: number, options: OpenOptions = {}): Promise<{ clicked: OpenedPhoto[]; stepped: OpenedPhoto[] }> {
  const { pauseMs = 500, step = true, opened = new Set<number>(), timeoutMs = 15_000 } = options
  const clicked: OpenedPhoto[] = []
  for (let i = 0; i < count; i++) {
    await page.getByTestId('photo-tile').first().waitFor()
    const ids = await page.$$eval('[data-testid="photo-tile"]', (ts) => ts.map((t) => Number(t.getAttribute('data-photo-id'))))
    const id = ids.find((x, k) => k >= 2 * i && !opened.has(x)) ?? ids.find((x) => !opened.has(x))
    if (id === undefined) break
    opened.add(id)
    if (pauseMs > 0) await page.waitForTimeout(pauseMs)
    await armOpenClock(page)
    await page.locator(`[data-testid="photo-tile"][data-photo-id="${id}"]`).click()
    clicked.push(await openedPhoto(page, 0, timeoutMs))
    await page.keyboard.press('Escape')
    await page.getByTestId('photo-grid').waitFor()
  }
  // → through neighbours, from the last photo clicked
  const stepped: OpenedPhoto[] = []
  const last = clicked[clicked.length - 1]?.photoId
  if (step && last) {
    await page.locator(`[data-testid="photo-tile"][data-photo-id="${last}"]`).click()
    await page.getByTestId('photo-view').waitFor()
    await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]')) // neighbours known
    for (let i = 0; i < count; i++) {
      const before = await shownId(page)
      await armOpenClock(page)
      await page.keyboard.press('ArrowRight')
      stepped.push(await openedPhoto(page, before, timeoutMs))
    }
    await page.keyboard.press('Escape')
  }
  return { clicked, stepped }
}
