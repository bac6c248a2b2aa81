/**
 * Browser mode's transport in headless Chromium against `node out/main/serve.js` (the built
 * plain-Node server) with the real engine and models on a temporary library: the session token
 * traded for a cookie, the strict CSP, 401 without the token, pushed events over the WebSocket
 * and thumbnails by photo id. The views have their own e2e tests. Screenshots go to test-results/.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket as NodeWebSocket } from 'ws'
import { chromiumAvailable, launchChromium } from '../support/browser.js'
import { COCO_DEV_DIR } from '../support/coco-images.js'
import { startServe, type ServeProcess } from './serve-process.js'

const root = path.resolve(import.meta.dirname, '../..')
const resultsDir = path.join(root, 'test-results')
/** The HTTP status a WebSocket handshake without the session gets. */
function socketStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new NodeWebSocket(url.replace(/^http/, 'ws') + 'events', { headers: { Origin: url.replace(/\/$/, '') } })
    ws.once('open', () => resolve(101))
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    ws.once('error', reject)
  })
}

const PHOTOS = ['000000000139.jpg', '000000000790.jpg']

describe.skipIf(!chromiumAvailable())('browser mode: session, CSP, events and media', () => {
  let browser: Browser
  let serve: ServeProcess
  let work: string
  let photosDir: string

  beforeAll(async () => {
    mkdirSync(resultsDir, { recursive: true })
    work = mkdtempSync(path.join(tmpdir(), 'constella-e2e-serve-'))
    photosDir = path.join(work, 'photos')
    mkdirSync(photosDir)
    for (const name of PHOTOS) copyFileSync(path.join(COCO_DEV_DIR, 'images', name), path.join(photosDir, name))
    serve = await startServe(path.join(work, 'library'))
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await serve?.stop()
    rmSync(work, { recursive: true, force: true })
  })

  /** A fresh browser context (no cookies) with a page that records errors and CSP violations. */
  async function openPage(url: string): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1100, height: 640 } })
    const page = await context.newPage()
    const problems: string[] = []
    page.on('console', (msg) => msg.type() === 'error' && problems.push(msg.text()))
    page.on('pageerror', (err) => problems.push(err.message))
    await page.goto(url)
    return { page, problems }
  }

  it('prints one URL with a 256-bit token', () => {
    expect(serve.loginUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/)
    expect(serve.output().match(/Constella is serving/g)).toHaveLength(1)
  })

  it('without the token: the "open the link" page, and 401 for API, media and WebSocket', async () => {
    const { page } = await openPage(serve.url)
    expect(await page.locator('h1').innerText()).toBe('Open the link printed by constella serve')
    // the page's own CSP forbids it any request: ask as the same browser context (no cookie)
    const request = page.context().request
    const api = await request.post(`${serve.url}api/library.status`, { data: {} })
    const media = await request.get(`${serve.url}media/thumb/1`)
    const refused = { api: api.status(), code: ((await api.json()) as { error: { code: string } }).error.code, media: media.status(), ws: await socketStatus(serve.url) }
    expect(refused).toEqual({ api: 401, code: 'unauthorized', media: 401, ws: 401 })
    await page.screenshot({ path: path.join(resultsDir, 'serve-no-token.png') })
    await page.context().close()
  })

  it('trades the printed link for an HttpOnly, SameSite=Strict cookie and loads the app on the clean URL', async () => {
    const { page, problems } = await openPage(serve.loginUrl)
    expect(page.url()).toBe(serve.url)
    const cookies = await page.context().cookies()
    expect(cookies).toEqual([expect.objectContaining({ value: serve.token, httpOnly: true, sameSite: 'Strict', path: '/' })])
    expect(await page.evaluate(() => document.cookie)).toBe('')
    await page.locator('#app > *').first().waitFor()
    const status = await page.evaluate(async () => (await fetch('/api/library.status', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).json())
    expect(status).toMatchObject({ ok: true, value: { photos: { total: 0 } } })
    await page.screenshot({ path: path.join(resultsDir, 'serve-first-load.png') })
    expect(problems.filter((p) => /Content Security Policy|Refused to/i.test(p))).toEqual([])
    await page.context().close()
  })

  it('pushes events to the page over the WebSocket (allowed by the CSP) and shows thumbnails by id', async () => {
    const { page, problems } = await openPage(serve.loginUrl)
    const result = await page.evaluate(async (folder) => {
      const post = (channel: string, body: unknown): Promise<{ ok: boolean; value?: unknown }> =>
        fetch(`/api/${channel}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json())
      const socket = new WebSocket(`ws://${location.host}/events`)
      const events: { event: string; payload: { state?: string } }[] = []
      socket.onmessage = (m) => events.push(JSON.parse(String(m.data)))
      await new Promise((resolve, reject) => ((socket.onopen = resolve), (socket.onerror = reject)))
      await post('settings.set', { detectionThreshold: 0.4 })
      await post('folders.add', { path: folder })
      const deadline = Date.now() + 150_000
      while (!events.some((e) => e.event === 'job.updated' && e.payload.state === 'completed') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200))
      const img = new Image()
      img.src = '/media/thumb/1'
      await img.decode()
      return { events: [...new Set(events.map((e) => e.event))].sort(), width: img.naturalWidth, height: img.naturalHeight }
    }, photosDir)
    expect(result.events).toEqual(['job.updated', 'library.changed', 'settings.changed'])
    expect(Math.max(result.width, result.height)).toBe(320)
    expect(problems.filter((p) => /Content Security Policy|Refused to/i.test(p))).toEqual([])
    await page.context().close()
  }, 180_000)

  it('stops cleanly on SIGTERM', async () => {
    expect(await serve.stop()).toBe(0)
  })
})
