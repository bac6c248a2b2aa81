/**
 * The workbench as a newcomer uses it, in headless Chromium against browser mode (`out/main/serve.js`)
 * with the real engine and models on 12 coco-dev photos: first run, adding a folder through the
 * folder browser, indexing with progress, the grid, a photo with its boxes and both graph
 * overlays, search by example and by an object, an explanation, requests without the token, and
 * a second writer refused while the app indexes. One server and one library for the whole file;
 * the tests run in order and build on each other. Screenshots: test-results/workbench-*.png.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiChannel, ApiRequest, ApiResponse, PhotoDetail } from '../../src/shared/api-contract.js'
import { inUseMessage, readLibraryLock } from '../../src/main/engine/library/library-lock.js'
import { chromiumAvailable, launchChromium } from '../support/browser.js'
import { cocoDevClasses, cocoDevImages } from '../support/coco-images.js'
import { startServe, type ServeProcess } from './serve-process.js'
import { callApi, LIBRARY_PHOTOS, linkPhotos, otherPhotos, runCli, shoot, socketStatus, recordTraffic, stopAfterFirstFailure } from './workbench-support.js'

/** A photo with a dog and three cars (as the detector sees it), related in the OT graph. */
const DOG_PHOTO = '000000332078.jpg'
const SLOW = { timeout: 120_000, interval: 250 }
const FAST = { timeout: 30_000, interval: 100 }

describe.skipIf(!chromiumAvailable())('the workbench in browser mode', () => {
  let browser: Browser
  let page: Page
  let serve: ServeProcess
  let work: string
  let photosDir: string
  let moreDir: string
  let libraryDir: string
  let dogPhoto: PhotoDetail
  const errors: string[] = []
  let traffic: string[] = []
  const api = <C extends ApiChannel>(channel: C, body: ApiRequest<C>): Promise<ApiResponse<C>> => callApi(serve.url, serve.token, channel, body)
  const hash = (): Promise<string> => page.evaluate(() => location.hash)
  /** The shown objects of a photo: the slider starts at the library's detection threshold. */
  const shownObjects = async (photo: PhotoDetail) => {
    const { detectionThreshold } = await api('settings.get', {})
    return photo.objects.filter((o) => o.score === null || o.score >= detectionThreshold)
  }

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'constella-e2e-workbench-'))
    photosDir = linkPhotos(path.join(work, 'photos'), LIBRARY_PHOTOS)
    moreDir = linkPhotos(path.join(work, 'more'), otherPhotos(400))
    libraryDir = path.join(work, 'library')
    serve = await startServe(libraryDir)
    browser = await launchChromium()
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    page = await context.newPage()
    page.on('pageerror', (err) => errors.push(err.message))
    traffic = recordTraffic(page)
    page.on('console', (msg) => msg.type() === 'error' && errors.push(msg.text()))
    await page.goto(serve.loginUrl)
  })
  stopAfterFirstFailure({ page: () => page, serverOutput: () => serve?.output() ?? '', errors, traffic: () => traffic })
  afterAll(async () => {
    await browser?.close()
    await serve?.stop()
    if (work) rmSync(work, { recursive: true, force: true })
  })

  it('runs in a browser with no other page than the app (no omnibox popup WebUI eating the CPU)', async () => {
    const cdp = await browser.newBrowserCDPSession()
    const { targetInfos } = await cdp.send('Target.getTargets')
    await cdp.detach()
    expect(targetInfos.filter((t) => t.url.startsWith('chrome://')).map((t) => t.url)).toEqual([])
    expect(targetInfos.filter((t) => t.type === 'page').map((t) => new URL(t.url).origin)).toEqual([new URL(serve.url).origin])
  })

  it('first run: the empty library says what to do', async () => {
    const empty = page.getByTestId('first-run')
    await empty.waitFor({ timeout: 30_000 })
    expect(await empty.locator('h2').innerText()).toBe('Add a folder of photos to begin')
    expect(await page.getByTestId('first-run-add').isEnabled()).toBe(true)
    await shoot(page, 'first-run')
  })

  it('adds a folder through the folder browser dialog', async () => {
    await page.getByTestId('first-run-add').click()
    const dialog = page.getByTestId('folder-dialog')
    await dialog.waitFor()
    await page.getByTestId('folder-path').fill(work)
    await page.getByTestId('folder-path').press('Enter')
    const entry = dialog.getByTestId('folder-entry').filter({ has: page.locator('.entry-name', { hasText: /^photos$/ }) })
    await expect.poll(() => entry.innerText(), FAST).toMatch(/photos\s+12 photos/)
    await entry.click()
    await expect.poll(() => page.getByTestId('folder-path').inputValue(), FAST).toBe(photosDir)
    await expect.poll(() => dialog.locator('.here').innerText(), FAST).toBe('12 photos directly in this folder')
    await shoot(page, 'folder-dialog')
    await page.evaluate(recordProgress)
    await page.getByTestId('add-this-folder').click()
    await dialog.waitFor({ state: 'hidden', timeout: 30_000 })
    await shoot(page, 'indexing')
    expect(await api('library.status', {})).toMatchObject({ folders: [expect.objectContaining({ path: photosDir })] })
  })

  it('indexes with visible progress, and the Jobs view shows done / total', async () => {
    await page.getByTestId('nav-jobs').click()
    const card = page.getByTestId('job-card')
    await expect.poll(() => card.getAttribute('data-state'), { timeout: 300_000, interval: 500 }).toBe('completed')
    expect(await card.innerText()).toMatch(/Done[\s\S]*12 \/ 12 photos/)
    await expect.poll(() => page.getByTestId('job-problems').innerText(), FAST).toContain('Every photo was read and analysed.')
    await expect.poll(() => page.getByTestId('active-job').count(), FAST).toBe(0)
    const { objects } = await api('library.status', {})
    await expect.poll(() => page.getByTestId('status-line').innerText(), FAST).toContain(`12 photos · ${objects} objects`)
    // What the status line showed while it ran: the bar and the count went up, through values between.
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: { bar: number | null; done: number | null }[] }).progressSeen)
    const bars = seen.map((s) => s.bar).filter((b): b is number => b !== null)
    const counts = seen.map((s) => s.done).filter((d): d is number => d !== null)
    expect(bars).toEqual([...bars].sort((a, b) => a - b))
    expect(counts).toEqual([...counts].sort((a, b) => a - b))
    expect(new Set(counts.filter((d) => d > 0 && d < 12)).size).toBeGreaterThanOrEqual(1)
    expect(new Set(bars.filter((b) => b > 0 && b < 100)).size).toBeGreaterThanOrEqual(1)
  })

  it('shows the 12 photos in the grid with their thumbnails', async () => {
    await page.getByTestId('nav-library').click()
    const tiles = page.getByTestId('photo-tile')
    await expect.poll(() => tiles.count(), FAST).toBe(12)
    await expect.poll(() => page.getByTestId('grid-total').innerText(), FAST).toBe('12 photos')
    // Each tile draws its thumbnail into a canvas: shown, and opaque photo pixels in its middle.
    const loaded = () => tiles.evaluateAll((ts) => ts.map((t) => {
      const canvas = t.querySelector('canvas')
      if (t.getAttribute('data-thumbnail') !== 'shown' || !canvas) return false
      const [, , , alpha] = canvas.getContext('2d')!.getImageData(canvas.width >> 1, canvas.height >> 1, 1, 1).data
      return alpha === 255
    }))
    await expect.poll(loaded, FAST).toEqual(Array(12).fill(true))
    // The grid refreshes at most every 1.5 s while indexing, so the last tiles may still say pending for a moment.
    const unfinished = () => tiles.evaluateAll((t) => t.map((e) => e.getAttribute('aria-label')).filter((l) => /pending|failed/.test(l ?? '')))
    await expect.poll(unfinished, FAST).toEqual([])
    await page.mouse.move(0, 0)
    await shoot(page, 'library')
  })

  it('opens a photo with a box per shown object, placed where the engine found it', async () => {
    const tile = page.locator(`[data-testid="photo-tile"][aria-label^="${DOG_PHOTO}"]`)
    const id = Number(await tile.getAttribute('data-photo-id'))
    await tile.click()
    await expect.poll(hash, FAST).toBe(`#/photo/${id}`)
    dogPhoto = await api('photos.get', { id })
    const shown = await shownObjects(dogPhoto)
    expect(shown.length).toBeGreaterThanOrEqual(3)
    const image = page.getByTestId('photo-image')
    await expect.poll(() => image.evaluate((i: HTMLImageElement) => (i.complete ? i.naturalWidth : 0)), FAST).toBe(dogPhoto.width)
    await expect.poll(() => page.getByTestId('object-box').count(), FAST).toBe(shown.length)
    // The grid stays under the photo view, all of it hidden: none of its thumbnails shows through.
    expect(await page.getByTestId('tile-thumbnail').count()).toBeGreaterThan(0)
    const seen = await page.getByTestId('tile-thumbnail').evaluateAll((cs) => cs.filter((c) => getComputedStyle(c).visibility !== 'hidden').length)
    expect(seen).toBe(0)
    const frame = (await page.getByTestId('photo-frame').boundingBox())!
    const scale = frame.width / dogPhoto.width!
    for (const o of shown) {
      const rect = (await page.locator(`[data-testid="object-box"][data-object-id="${o.id}"] rect.hit`).boundingBox())!
      const [x1, y1, x2, y2] = o.box.map((v, i) => v * scale + (i % 2 ? frame.y : frame.x))
      const off = [rect.x - x1, rect.y - y1, rect.x + rect.width - x2, rect.y + rect.height - y2].map(Math.abs)
      expect(Math.max(...off), `${o.className} box off by ${off.map((v) => v.toFixed(1)).join(', ')} px`).toBeLessThan(2)
    }
    expect(await page.getByTestId('photo-panel').innerText()).toContain(`${shown.length} of ${dogPhoto.objects.length} shown`)
    await shoot(page, 'photo-boxes')
  })

  it('draws the OT relations between shown objects, and the hovered object’s transport plan', async () => {
    // In score order, as the side panel lists them.
    const shown = [...(await shownObjects(dogPhoto))].sort((a, b) => (b.score ?? 2) - (a.score ?? 2))
    const at = (o: { box: number[] }, x: number, y: number): boolean => Math.abs((o.box[0] + o.box[2]) / 2 - x) < 0.5 && Math.abs((o.box[1] + o.box[3]) / 2 - y) < 0.5
    await page.getByTestId('toggle-adjacency').click()
    expect(await page.getByTestId('toggle-adjacency').getAttribute('aria-pressed')).toBe('true')
    const edges = page.getByTestId('adjacency-edge')
    await expect.poll(() => edges.count(), FAST).toBeGreaterThan(0)
    const ends = await edges.evaluateAll((ls) => ls.map((l) => ['x1', 'y1', 'x2', 'y2'].map((a) => Number(l.getAttribute(a)))))
    // Every edge joins the centres of two different shown objects.
    for (const [x1, y1, x2, y2] of ends) {
      const from = shown.findIndex((o) => at(o, x1, y1))
      const to = shown.findIndex((o) => at(o, x2, y2))
      expect([from >= 0, to >= 0, from !== to]).toEqual([true, true, true])
    }
    // Hover the first object with relations: its transport plan's labels, and its edges' weights.
    const touching = shown.map((o) => ends.filter(([x1, y1, x2, y2]) => at(o, x1, y1) || at(o, x2, y2)).length)
    const pick = touching.findIndex((n) => n > 0)
    await page.getByTestId('object-list').locator('button').nth(pick).hover()
    await expect.poll(() => page.getByTestId('transport-tip').innerText(), FAST).toMatch(new RegExp(`^${shown[pick].className}: transport plan\\n[\\s\\S]*\\d+%`))
    await expect.poll(() => page.getByTestId('adjacency-layer').locator('text').allInnerTexts(), FAST).toHaveLength(touching[pick])
    await shoot(page, 'photo-ot')
    await page.getByTestId('toggle-adjacency').click()
    await expect.poll(() => page.getByTestId('adjacency-layer').count(), FAST).toBe(0)
  })

  it('draws the GAT attention, and a selected object’s arrows all start at it', async () => {
    await page.getByTestId('toggle-attention').click()
    const edges = page.getByTestId('attention-edge')
    await expect.poll(() => edges.count(), FAST).toBeGreaterThan(0)
    expect(await page.getByTestId('photo-node').innerText()).toContain('Whole photo')
    // Select the object that attends most to another shown object (layer 1, mean of heads), in the side panel.
    const ordered = [...(await shownObjects(dogPhoto))].sort((a, b) => (b.score ?? 2) - (a.score ?? 2))
    const graph = await api('photos.graph', { id: dogPhoto.id })
    const node = (o: { id: number }): number => graph.nodes.findIndex((n) => n.kind === 'object' && n.objectId === o.id)
    const alpha = (i: number, j: number): number => graph.attention[0].reduce((sum, head) => sum + head[i][j], 0) / graph.attention[0].length
    const outward = ordered.map((o) => Math.max(...ordered.filter((t) => t !== o).map((t) => alpha(node(o), node(t)))))
    const pick = outward.indexOf(Math.max(...outward))
    expect(outward[pick]).toBeGreaterThan(0.01)
    await page.getByTestId('object-list').locator('button').nth(pick).click()
    await expect.poll(() => page.getByTestId('attends-to').innerText(), FAST).toMatch(new RegExp(`^${ordered[pick].className} attends to`, 'i'))
    const arrows = () => edges.evaluateAll((es) => es.map((e) => [e.getAttribute('data-from'), e.getAttribute('data-to')]))
    await expect.poll(async () => [...new Set((await arrows()).map(([from]) => from))], FAST).toEqual([String(ordered[pick].id)])
    for (const [, to] of await arrows()) expect(ordered.some((o) => String(o.id) === to && o !== ordered[pick])).toBe(true)
    await page.mouse.move(0, 0)
    await shoot(page, 'photo-attention')
    await page.getByTestId('toggle-attention').click()
  })

  it('moves to the next photo in the grid order with the arrow key', async () => {
    const { next } = await api('photos.neighbours', { id: dogPhoto.id, filter: {}, sort: { key: 'added', order: 'desc' } })
    expect(next).not.toBeNull()
    const nextPhoto = await api('photos.get', { id: next! })
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
    await page.keyboard.press('ArrowRight')
    await expect.poll(hash, FAST).toBe(`#/photo/${next}`)
    await expect.poll(() => page.getByTestId('photo-panel').locator('h2').innerText(), FAST).toBe(nextPhoto.name)
    await expect.poll(() => page.getByTestId('object-box').count(), FAST).toBe((await shownObjects(nextPhoto)).length)
    await page.keyboard.press('ArrowLeft')
    await expect.poll(hash, FAST).toBe(`#/photo/${dogPhoto.id}`)
    await expect.poll(() => page.getByTestId('photo-panel').locator('h2').innerText(), FAST).toBe(dogPhoto.name)
  })

  it('finds similar photos: results with scores, best first, as the engine ranks them', async () => {
    await page.getByTestId('find-similar').click()
    await expect.poll(hash, FAST).toBe('#/search')
    const cards = page.getByTestId('result-card')
    await expect.poll(() => cards.count(), SLOW).toBeGreaterThan(0)
    const engine = await api('search.run', { query: { kind: 'photo', photoId: dogPhoto.id }, k: 60 })
    expect(await cards.evaluateAll((cs) => cs.map((c) => Number(c.getAttribute('data-photo-id'))))).toEqual(engine.results.map((r) => r.photoId))
    const scores = (await cards.locator('.sim').allInnerTexts()).map(Number)
    expect(scores).toEqual(engine.results.map((r) => Number(r.similarity.toFixed(2))))
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
    expect(await page.getByTestId('query-understood').innerText()).toMatch(/^Ranked by the whole photo/)
    const loaded = () => cards.locator('img').evaluateAll((imgs) => imgs.every((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0))
    await expect.poll(loaded, FAST).toBe(true)
    await page.mouse.move(0, 0)
    await shoot(page, 'search-results')
  })

  it('searches by one object selected on the photo: a dog finds photos with dogs', async () => {
    await page.evaluate((h) => (location.hash = h), `#/photo/${dogPhoto.id}`)
    const shown = await shownObjects(dogPhoto)
    const dog = shown.find((o) => o.className === 'dog')
    expect(dog, 'the detector finds the dog').toBeDefined()
    await expect.poll(() => page.getByTestId('object-box').count(), FAST).toBe(shown.length)
    // Click the dog's box where no other shown box covers it.
    const frame = (await page.getByTestId('photo-frame').boundingBox())!
    const scale = frame.width / dogPhoto.width!
    const inside = (b: number[], x: number, y: number): boolean => x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3]
    const spots = [0.5, 0.3, 0.7, 0.15, 0.85].flatMap((fx) => [0.5, 0.3, 0.7, 0.15, 0.85].map((fy) => [dog!.box[0] + fx * (dog!.box[2] - dog!.box[0]), dog!.box[1] + fy * (dog!.box[3] - dog!.box[1])]))
    const spot = spots.find(([x, y]) => shown.every((o) => o.id === dog!.id || !inside(o.box, x, y)))
    expect(spot, 'a point of the dog box outside the other boxes').toBeDefined()
    await page.mouse.click(frame.x + spot![0] * scale, frame.y + spot![1] * scale)
    await expect.poll(() => page.locator(`[data-testid="object-box"][data-object-id="${dog!.id}"]`).getAttribute('class'), FAST).toContain('selected')
    await page.getByTestId('search-objects').click()
    await expect.poll(hash, FAST).toBe('#/search')
    await expect.poll(() => page.getByTestId('query-understood').innerText(), SLOW).toBe('Ranked by 1 object: dog.')
    const cards = page.getByTestId('result-card')
    await expect.poll(() => cards.count(), SLOW).toBeGreaterThan(0)
    // Meaningful: the best results are photos that really show a dog (coco-dev's own labels).
    const dogClass = cocoDevClasses().indexOf('dog')
    const withDogs = new Set(cocoDevImages().filter((i) => i.labels.includes(dogClass)).map((i) => i.file))
    const names = await cards.locator('.name').allInnerTexts()
    expect(names.slice(0, 3).filter((n) => withDogs.has(n)).length, names.join(', ')).toBeGreaterThanOrEqual(2)
  })

  it('opens a result: matched pairs with lines, costs in words, shared labels, no pair twice', async () => {
    await page.getByRole('button', { name: 'Whole photo' }).click()
    await expect.poll(() => page.getByTestId('query-understood').innerText(), SLOW).toMatch(/^Ranked by the whole photo/)
    const first = page.getByTestId('result-card').first()
    const resultId = Number(await first.getAttribute('data-photo-id'))
    await first.click()
    const dialog = page.getByTestId('explanation')
    await dialog.waitFor({ timeout: 30_000 })
    const engine = (await api('search.run', { query: { kind: 'photo', photoId: dogPhoto.id }, k: 60 })).results.find((r) => r.photoId === resultId)!
    const rows = dialog.getByTestId('pair-row')
    await expect.poll(() => rows.count(), FAST).toBeGreaterThanOrEqual(2)
    const keys = await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-pair')!))
    expect(new Set(keys).size).toBe(keys.length)
    expect(new Set(keys.map((k) => k.split(':')[0])).size).toBe(keys.length)
    expect(new Set(keys.map((k) => k.split(':')[1])).size).toBe(keys.length)
    expect([...keys].sort()).toEqual(engine.explanation.matches.map((m) => `${m.queryIndex}:${m.resultObjectId}`).sort())
    // One line per pair, from the query (left half) to the result (right half).
    const figureWidth = Number((await dialog.getByTestId('explanation-figure').getAttribute('viewBox'))!.split(' ')[2])
    const lines = await dialog.getByTestId('pair-line').evaluateAll((ls) => ls.map((l) => ({ key: l.getAttribute('data-pair'), x1: Number(l.getAttribute('x1')), x2: Number(l.getAttribute('x2')) })))
    expect(lines.map((l) => l.key)).toEqual(keys)
    for (const l of lines) expect([l.x1 < figureWidth / 2, l.x2 > figureWidth / 2]).toEqual([true, true])
    for (const cost of await rows.locator('td:nth-child(4)').allInnerTexts()) expect(cost).toMatch(/^[a-z][a-z ]+ \(\d\.\d\d\)$/)
    expect(await dialog.locator('thead').innerText()).toContain('lower = closer')
    const shared = await dialog.getByTestId('shared-labels').locator('.chip').allInnerTexts()
    expect(shared.length).toBeGreaterThan(0)
    expect(shared).toEqual(engine.explanation.sharedLabels)
    await shoot(page, 'explanation')
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 })
  })

  it('settings: the library folder, the threshold, the provider and the model pack', async () => {
    await page.getByTestId('nav-settings').click()
    await expect.poll(() => page.getByTestId('library-dir').innerText(), FAST).toBe(libraryDir)
    await expect.poll(() => page.getByTestId('pack-summary').innerText(), SLOW).toMatch(/\d+ models · \d+ verified · 0 missing · 0 mismatched/)
    expect(await page.locator('.settings').innerText()).toContain(photosDir)
    // The provider in use and why, as the engine reports it (whatever this machine has).
    const { provider } = await api('app.info', {})
    expect(provider?.name).toBeTruthy()
    await expect.poll(() => page.getByTestId('provider').locator('.pill').innerText(), FAST).toBe(provider!.name)
    expect(await page.getByTestId('provider').innerText()).toContain(provider!.summary)
    await shoot(page, 'settings')
  })

  it('refuses requests without the token: API 401, media 401, WebSocket refused', async () => {
    const post = (headers: Record<string, string>) =>
      fetch(`${serve.url}api/library.status`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: '{}' })
    const media = (kind: string, headers: Record<string, string> = {}) => fetch(`${serve.url}media/${kind}/${dogPhoto.id}`, { headers }).then((r) => r.status)
    const wrong = { Authorization: `Bearer ${'x'.repeat(43)}` }
    expect({ api: (await post({})).status, wrongToken: (await post(wrong)).status, thumb: await media('thumb'), photo: await media('photo', wrong), socket: await socketStatus(serve.url) })
      .toEqual({ api: 401, wrongToken: 401, thumb: 401, photo: 401, socket: 401 })
    // The same requests with the token succeed: the 401s are the token's doing.
    const bearer = { Authorization: `Bearer ${serve.token}` }
    expect({ api: (await post(bearer)).status, photo: await media('photo', bearer), socket: await socketStatus(serve.url, bearer) })
      .toEqual({ api: 200, photo: 200, socket: 101 })
  })

  it('refuses a second writer (CLI index) while the app indexes, naming the library and the app', async () => {
    const { jobId } = await api('folders.add', { path: moreDir })
    const job = async () => (await api('jobs.list', {})).find((j) => j.id === jobId)!
    await expect.poll(async () => (await job()).state, SLOW).toBe('running')
    const holder = readLibraryLock(libraryDir)
    expect(holder).toMatchObject({ pid: serve.child.pid, app: true })
    const refused = await runCli(['index', photosDir, '--library', libraryDir])
    const during = await job()
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(inUseMessage(libraryDir, holder!))
    expect(during.state, 'the app was still indexing when the CLI was refused').toBe('running')
    await page.getByTestId('nav-jobs').click()
    await expect.poll(() => page.locator('[data-testid="job-card"][data-state="running"]').innerText(), FAST).toMatch(/Running[\s\S]*\d+ \/ \d+ photos/)
    await shoot(page, 'jobs')
    await page.getByTestId('cancel-job').click()
    await expect.poll(async () => (await job()).state, SLOW).toBe('cancelled')
    await expect.poll(() => page.getByTestId('job-card').first().innerText(), FAST).toMatch(/^Cancelled/)
    expect(errors.filter((e) => !/status of 401|Failed to load resource/.test(e))).toEqual([])
  })
})

/** In the page: records every progress value the status line shows (bar percent, photos done). */
function recordProgress(): void {
  const seen: { bar: number | null; done: number | null }[] = []
  ;(window as unknown as { progressSeen: typeof seen }).progressSeen = seen
  const read = (): void => {
    const job = document.querySelector('[data-testid="active-job"]')
    if (!job) return
    const now = document.querySelector('[data-testid="status-line"] [role="progressbar"]')?.getAttribute('aria-valuenow')
    const done = /(\d+) \/ \d+/.exec(job.textContent ?? '')?.[1]
    const entry = { bar: now ? Number(now) : null, done: done ? Number(done) : null }
    const last = seen[seen.length - 1]
    if (!last || last.bar !== entry.bar || last.done !== entry.done) seen.push(entry)
  }
  new MutationObserver(read).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true })
}
