/**
 * Scenes, co-occurrence and the map as an analyst uses them, in headless Chromium against browser
 * mode (`out/main/serve.js`) with the real engine on 16 coco-dev photos (street, animals, dogs and
 * indoor scenes): finding K = 3 scenes as a job, the scene cards, a heatmap and one of its cells
 * opening the right photos, the map job, its canvas, and a lasso opening its photos in the grid.
 * Every expectation is checked against the API. Screenshots: test-results/{scenes,heatmap,map}.png.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiChannel, ApiRequest, ApiResponse } from '../../src/shared/api-contract.js'
import { decodeMap } from '../../src/renderer/lib/managers/embedding-map.svelte.js'
import { pointInPolygon } from '../../src/renderer/lib/geometry/lasso.js'
import { pointBounds } from '../../src/renderer/lib/geometry/point-index.js'
import { LABEL_COLOR } from '../../src/renderer/components/map/map-colors.js'
import { fitTransform, parseColor, toScreen } from '../../src/renderer/components/map/map-raster.js'
import { sceneColor } from '../../src/renderer/components/scenes/scene-colors.js'
import { chromiumAvailable, launchChromium } from '../support/browser.js'
import { cocoDevClasses, cocoDevImages } from '../support/coco-images.js'
import { startServe, type ServeProcess } from './serve-process.js'
import { callApi, LIBRARY_PHOTOS, linkPhotos, RESULTS_DIR, recordTraffic, stopAfterFirstFailure } from './workbench-support.js'

const SLOW = { timeout: 240_000, interval: 500 }
const FAST = { timeout: 30_000, interval: 100 }
const K = 3

/** The 12 photos of the workbench test and 4 indoor ones (a couch or a tv), so scenes differ. */
function libraryPhotos(): string[] {
  const classes = cocoDevClasses()
  const indoor = new Set([classes.indexOf('couch'), classes.indexOf('tv')])
  const extra = cocoDevImages()
    .filter((i) => !LIBRARY_PHOTOS.includes(i.file) && i.labels.some((l) => indoor.has(l)))
    .slice(0, 4)
    .map((i) => i.file)
  return [...LIBRARY_PHOTOS, ...extra]
}

describe.skipIf(!chromiumAvailable())('scenes, co-occurrence and the map in browser mode', () => {
  let browser: Browser
  let page: Page
  let serve: ServeProcess
  let work: string
  let photosDir: string
  const photos = libraryPhotos()
  const errors: string[] = []
  let traffic: string[] = []
  const api = <C extends ApiChannel>(channel: C, body: ApiRequest<C>): Promise<ApiResponse<C>> => callApi(serve.url, serve.token, channel, body)
  const shoot = async (name: string): Promise<void> => {
    mkdirSync(RESULTS_DIR, { recursive: true })
    await page.screenshot({ path: path.join(RESULTS_DIR, `${name}.png`) })
  }
  /** The same screen in the dark scheme too (`<name>-dark.png`). */
  const shootBoth = async (name: string): Promise<void> => {
    await shoot(name)
    await page.emulateMedia({ colorScheme: 'dark' })
    await shoot(`${name}-dark`)
    await page.emulateMedia({ colorScheme: 'light' })
  }
  const gridIds = async (): Promise<number[]> =>
    (await page.getByTestId('photo-tile').evaluateAll((ts) => ts.map((t) => Number(t.getAttribute('data-photo-id'))))).sort((a, b) => a - b)

  beforeAll(async () => {
    mkdirSync('/tmp/scenes-ui', { recursive: true })
    work = mkdtempSync('/tmp/scenes-ui/e2e-')
    serve = await startServe(path.join(work, 'library'))
    browser = await launchChromium()
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, acceptDownloads: true })
    page = await context.newPage()
    page.on('pageerror', (err) => errors.push(err.message))
    traffic = recordTraffic(page)
    page.on('console', (msg) => msg.type() === 'error' && errors.push(`${msg.text()} ${msg.location().url}`))
    await page.goto(serve.loginUrl)
    photosDir = linkPhotos(path.join(work, 'photos'), photos)
  })
  stopAfterFirstFailure({ page: () => page, serverOutput: () => serve?.output() ?? '', errors, traffic: () => traffic })
  afterAll(async () => {
    await browser?.close()
    await serve?.stop()
    if (work) rmSync(work, { recursive: true, force: true })
  })

  it('indexes the photos; before scenes are found, the view says what to do', async () => {
    await page.evaluate(() => (location.hash = '#/scenes'))
    await expect.poll(() => page.getByTestId('scenes-empty').locator('h2').innerText(), FAST).toBe('Index photos first')
    const { jobId } = await api('folders.add', { path: photosDir })
    await expect.poll(async () => (await api('jobs.list', {})).find((j) => j.id === jobId)?.state, { timeout: 300_000, interval: 1000 }).toBe('completed')
    await expect.poll(() => page.getByTestId('scenes-empty').locator('h2').innerText(), FAST).toBe('Find the scenes of your library')
  }, 320_000)

  it('finds K scenes as a job and lists them with names and sizes that add up to the library', async () => {
    await page.getByTestId('scene-k').fill(String(K))
    await page.getByTestId('scene-k').dispatchEvent('change')
    await page.getByTestId('find-scenes').click()
    const cards = page.getByTestId('scene-card')
    await expect.poll(() => cards.count(), SLOW).toBe(K)
    const overview = await api('scenes.get', {})
    const { photos: counts } = await api('library.status', {})
    expect(overview).toMatchObject({ ready: true, k: K, photos: photos.length })
    expect(counts.indexed).toBe(photos.length)
    expect((await api('settings.get', {})).sceneCount).toBe(K)
    const shown = await cards.evaluateAll((cs) => cs.map((c) => ({ size: Number(c.getAttribute('data-size')), name: c.querySelector('[data-testid="scene-name"]')?.textContent ?? '' })))
    expect(shown.reduce((s, c) => s + c.size, 0)).toBe(photos.length)
    expect(shown.map((c) => c.size)).toEqual(overview.scenes.map((s) => s.size))
    shown.forEach((c, i) => expect(c.name).toContain(overview.scenes[i].name))
    expect(await page.getByTestId('scene-balance').innerText()).toContain(`max ln ${K} = ${Math.log(K).toFixed(3)}`)
    const thumbs = page.getByTestId('typical-photo').locator('img')
    await expect.poll(() => thumbs.evaluateAll((is) => is.every((i) => (i as HTMLImageElement).naturalWidth > 0)), FAST).toBe(true)
    expect(await thumbs.count()).toBe(overview.scenes.reduce((s, c) => s + Math.min(8, c.typical.length), 0))
    await page.mouse.move(0, 0)
    await shoot('scenes')
  }, 300_000)

  it('draws a scene’s heatmap with Plot, and a cell opens that scene’s photos with both labels', async () => {
    const scene = (await api('scenes.get', {})).scenes[0]
    await page.getByTestId('scene-heatmap').first().click()
    const matrix = await api('scenes.matrix', { scene: scene.id, top: 16 })
    const n = matrix.classIds.length
    expect(n).toBeGreaterThanOrEqual(2)
    const rects = page.getByTestId('heatmap-a').locator('g[aria-label="cell"] rect')
    await expect.poll(() => rects.count(), FAST).toBe(n * n)
    await expect.poll(() => page.getByTestId('heatmap-diff').locator('g[aria-label="cell"] rect').count(), FAST).toBeGreaterThan(0)
    // Export: the shown matrix as CSV and as JSON, as the API gives it.
    const saved = async (testid: string): Promise<string> => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('heatmap-a').getByTestId(testid).click()])
      return readFileSync((await download.path())!, 'utf8')
    }
    const csv = (await saved('export-csv')).trim().split('\n')
    expect(csv[0]).toBe(['P(column | row)', ...matrix.names].map((v) => (v.includes(',') ? `"${v}"` : v)).join(','))
    expect(csv).toHaveLength(n + 1)
    expect(csv[1].split(',').slice(1).map(Number)).toEqual(matrix.p[0].map((v) => Math.round(v * 1e6) / 1e6))
    expect((JSON.parse(await saved('export-json')) as { p: number[][] }).p).toEqual(matrix.p)
    // The off-diagonal pair with the most photos (a label pair that really goes together here).
    let best = { i: 0, j: 0, both: 0 }
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      const both = Math.round(matrix.p[i][j] * matrix.counts[i])
      if (i !== j && both > best.both) best = { i, j, both }
    }
    expect(best.both).toBeGreaterThan(0)
    const cell = (await rects.nth(best.i * n + best.j).boundingBox())!
    await page.mouse.move(cell.x + cell.width / 2, cell.y + cell.height / 2)
    await expect.poll(() => page.getByTestId('heatmap-a').locator('g[aria-label="tip"]').textContent(), FAST).toContain(`${best.both} of ${matrix.counts[best.i]} photos`)
    await shootBoth('heatmap')
    // The scheme switch redrew the plot: point at the cell again (as a hand would), then click.
    let nudge = 0
    const pointAgain = async (): Promise<string | null> => {
      await page.mouse.move(cell.x + cell.width / 2 + (nudge++ % 2), cell.y + cell.height / 2)
      return page.getByTestId('heatmap-a').locator('g[aria-label="tip"]').textContent()
    }
    await expect.poll(pointAgain, FAST).toContain(`${best.both} of`)
    await page.mouse.click(cell.x + cell.width / 2, cell.y + cell.height / 2)
    await expect.poll(() => page.evaluate(() => location.hash), FAST).toBe('#/library')
    const filter = { scene: scene.id, labels: [matrix.classIds[best.i], matrix.classIds[best.j]] }
    const expected = (await api('photos.list', { filter, limit: 100 })).items.map((p) => p.id).sort((a, b) => a - b)
    expect(expected).toHaveLength(best.both)
    await expect.poll(gridIds, FAST).toEqual(expected)
    expect(await page.getByTestId('preset-scene').innerText()).toContain(scene.name)
    expect(errors).toEqual([])
  })

  it('computes the map as a job, draws it on one canvas, and a lasso opens its photos in the grid', async () => {
    await page.evaluate(() => (location.hash = '#/map'))
    await page.getByTestId('compute-map').click()
    const canvas = page.getByTestId('map-canvas')
    await canvas.waitFor({ timeout: SLOW.timeout })
    const painted = () => canvas.evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
      let n = 0
      for (let k = 3; k < d.length; k += 4) if (d[k] > 0) n++
      return n
    })
    await expect.poll(painted, FAST).toBeGreaterThan(photos.length * 20)
    expect(await page.locator('[data-testid="map-box"] *').count()).toBeLessThan(10)

    // Where the app draws each photo: the real layout through the same fit as the canvas.
    const map = decodeMap(await api('map.get', {}))
    expect(map.count).toBe(photos.length)
    const box = (await page.getByTestId('map-box').boundingBox())!
    const t = fitTransform(pointBounds(map.xy, map.count), Math.floor(box.width), Math.floor(box.height), 28)
    const at = Array.from({ length: map.count }, (_, i) => toScreen(t, map.xy[2 * i], map.xy[2 * i + 1]))
    await page.mouse.move(box.x + at[0][0], box.y + at[0][1])
    await expect.poll(() => page.getByTestId('map-tooltip').locator('img').evaluate((i: HTMLImageElement) => i.naturalWidth), FAST).toBeGreaterThan(0)
    expect(await page.getByTestId('map-tooltip').locator('img').getAttribute('src')).toBe(`/media/thumb/${map.ids[0]}`)
    await shootBoth('map')

    // A lasso around the left part of the photos, cut at the widest gap between x positions in the middle half.
    const xs = at.map(([x]) => x).sort((a, b) => a - b)
    let gap = Math.floor(map.count / 4)
    for (let k = gap; k < Math.ceil((3 * map.count) / 4); k++) if (xs[k + 1] - xs[k] > xs[gap + 1] - xs[gap]) gap = k
    const cut = (xs[gap] + xs[gap + 1]) / 2
    const lasso = [4, 4, cut, 4, cut, box.height - 4, 4, box.height - 4]
    const expected = Array.from(map.ids).filter((_, i) => pointInPolygon(at[i][0], at[i][1], lasso)).sort((a, b) => a - b)
    expect(expected.length).toBeGreaterThan(0)
    expect(expected.length).toBeLessThan(map.count)
    const drag = async (): Promise<void> => {
      await page.mouse.move(box.x + lasso[0], box.y + lasso[1])
      await page.mouse.down()
      for (let k = 2; k <= lasso.length; k += 2) {
        await page.mouse.move(box.x + lasso[k % lasso.length], box.y + lasso[(k + 1) % lasso.length], { steps: 12 })
      }
      await page.mouse.up()
    }
    await drag()
    await expect.poll(() => page.getByTestId('map-selection').innerText(), FAST).toBe(`${expected.length} photo${expected.length === 1 ? '' : 's'} selected`)
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByTestId('map-selection').count(), FAST).toBe(0)
    await drag()
    await page.getByTestId('map-open-selection').click()
    await expect.poll(() => page.evaluate(() => location.hash), FAST).toBe('#/library')
    await expect.poll(gridIds, FAST).toEqual(expected)
    expect(await page.getByTestId('preset-ids').innerText()).toContain(`${expected.length} photos from the map`)
    await shoot('map-selection-grid')
    expect(errors).toEqual([])
  }, 300_000)

  it('colours the map by a chosen label, with the count of photos that have it', async () => {
    const person = cocoDevClasses().indexOf('person')
    const withPerson = decodeMap(await api('map.get', { classId: person })).label!.reduce((s, v) => s + v, 0)
    expect(withPerson).toBeGreaterThan(0)
    await page.evaluate(() => (location.hash = '#/map'))
    await page.getByTestId('map-color-by').selectOption({ label: 'person' })
    await expect.poll(() => page.getByTestId('map-legend').innerText(), FAST).toMatch(new RegExp(`with person\\s+${withPerson}\\s+without\\s+${photos.length - withPerson}`))
    // The canvas itself: the label's colour at full strength, no scene colour left.
    await page.keyboard.press('Escape')
    const pixelsOf = (rgb: number[]) => page.getByTestId('map-canvas').evaluate((c: HTMLCanvasElement, [r, g, b]) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
      let n = 0
      for (let k = 0; k < d.length; k += 4) if (d[k] === r && d[k + 1] === g && d[k + 2] === b && d[k + 3] === 255) n++
      return n
    }, rgb)
    await expect.poll(() => pixelsOf(parseColor(LABEL_COLOR)), FAST).toBeGreaterThan(withPerson * 20)
    expect(await pixelsOf(parseColor(sceneColor(0)))).toBe(0)
    await page.mouse.move(0, 0)
    await shoot('map-label')
    expect(errors).toEqual([])
  })
})
