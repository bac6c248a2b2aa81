/**
 * The desktop shell end to end (`_electron.launch` of the built out/main/index.js) on a temporary
 * library with the real engine: the sandboxed renderer sees only window.api and
 * window.constellaEvents, calls go over IPC, events come back, and thumbnails load through
 * constella-media:// by photo id. Runs where the Electron runtime is installed (and a display
 * exists); elsewhere it is skipped and says why.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { _electron, type ElectronApplication, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { electronRuntime } from '../../scripts/electron-runtime.mjs'
import { COCO_DEV_DIR } from '../support/coco-images.js'

const root = path.resolve(import.meta.dirname, '../..')
const runtime = electronRuntime(root)
const headless = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY
const skipReason = !runtime
  ? 'no Electron runtime in node_modules/electron/dist (npm run setup:electron downloads it)'
  : headless
    ? 'no display ($DISPLAY / $WAYLAND_DISPLAY); run under xvfb-run'
    : null
if (skipReason) console.warn(`electron e2e skipped: ${skipReason}`)

describe.skipIf(skipReason !== null)(`Electron shell${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let app: ElectronApplication
  let page: Page
  let work: string

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'constella-e2e-electron-'))
    mkdirSync(path.join(work, 'photos'))
    copyFileSync(path.join(COCO_DEV_DIR, 'images', '000000000139.jpg'), path.join(work, 'photos', '000000000139.jpg'))
    app = await _electron.launch({
      executablePath: runtime!,
      // Chromium refuses its sandbox to root (containers); the renderer stays sandboxed by the app's own settings
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), path.join(root, 'out/main/index.js')],
      env: { ...process.env, CONSTELLA_LIBRARY: path.join(work, 'library') } as Record<string, string>,
      cwd: root,
    })
    page = await app.firstWindow()
    await page.waitForLoadState('domcontentloaded')
  })
  afterAll(async () => {
    await app?.close()
    rmSync(work, { recursive: true, force: true })
  })

  it('isolates the renderer: window.api and window.constellaEvents only, no Node, no ipcRenderer', async () => {
    const seen = await page.evaluate(() => ({
      api: typeof window.api,
      events: typeof window.constellaEvents?.subscribe,
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      ipc: 'ipcRenderer' in window,
    }))
    expect(seen).toEqual({ api: 'object', events: 'function', require: 'undefined', process: 'undefined', ipc: false })
    const info = await page.evaluate(() => window.api!['app.info']({}))
    expect(info).toMatchObject({ ok: true, value: { mode: 'electron', libraryDir: path.join(work, 'library') } })
  })

  it('pushes events over IPC and serves thumbnails by id through constella-media://', async () => {
    const result = await page.evaluate(async (folder) => {
      const events: { event: string; payload: { state?: string } }[] = []
      const off = window.constellaEvents!.subscribe((m) => events.push(m as (typeof events)[number]))
      await window.api!['folders.add']({ path: folder })
      const deadline = Date.now() + 150_000
      while (!events.some((e) => e.event === 'job.updated' && e.payload.state === 'completed') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200))
      off()
      const img = new Image()
      img.src = 'constella-media://thumb/1'
      await img.decode()
      const refused = await new Promise<string>((resolve) => {
        const bad = new Image()
        bad.onload = () => resolve('loaded')
        bad.onerror = () => resolve('refused')
        bad.src = 'constella-media://photo/999'
      })
      return { events: [...new Set(events.map((e) => e.event))].sort(), width: img.naturalWidth, height: img.naturalHeight, refused }
    }, path.join(work, 'photos'))
    expect(result.events).toEqual(['job.updated', 'library.changed'])
    expect(Math.max(result.width, result.height)).toBe(320)
    expect(result.refused).toBe('refused')
  }, 180_000)
})
