/**
 * Support for the workbench e2e test: photo folders of real coco-dev photos (symlinks in a temp
 * folder, never copies in the repo), the API called as a script would (Bearer token), requests
 * without the token, the real CLI as a child process, and named screenshots in test-results/.
 */
import { spawn } from 'node:child_process'
import { appendFileSync, mkdirSync, symlinkSync } from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterEach, beforeEach } from 'vitest'
import { WebSocket as NodeWebSocket } from 'ws'
import type { ApiChannel, ApiRequest, ApiResponse } from '../../src/shared/api-contract.js'
import { cocoDevImages, COCO_DEV_DIR } from '../support/coco-images.js'

const root = path.resolve(import.meta.dirname, '../..')

/** Where screenshots go (gitignored). */
export const RESULTS_DIR = path.join(root, 'test-results')

/**
 * The small library: dogs, street scenes with cars and people, zebras and an elephant, each with
 * several objects, so a search by a dog has other dogs to find.
 */
export const LIBRARY_PHOTOS = [
  '000000022192.jpg', // dog on a bed
  '000000022892.jpg', // dog, cat, chair, table
  '000000030752.jpg', // dog, person, skis, truck
  '000000069468.jpg', // dog, person, kitchen
  '000000332078.jpg', // dog, car, truck
  '000000073731.jpg', // cars, fire hydrant
  '000000142585.jpg', // bus, cars, motorcycle, people
  '000000155341.jpg', // cars, people, truck
  '000000032773.jpg', // car, person, train
  '000000113354.jpg', // zebras
  '000000244592.jpg', // zebras
  '000000054718.jpg', // elephants
]

/** Links `names` (files of coco-dev/images) into a new folder `dir`. */
export function linkPhotos(dir: string, names: readonly string[]): string {
  mkdirSync(dir, { recursive: true })
  for (const name of names) symlinkSync(path.join(COCO_DEV_DIR, 'images', name), path.join(dir, name))
  return dir
}

/** `count` coco-dev photos that are not in the small library (for a second, slower job). */
export function otherPhotos(count: number): string[] {
  return cocoDevImages()
    .map((i) => i.file)
    .filter((f) => !LIBRARY_PHOTOS.includes(f))
    .slice(0, count)
}

/** Calls an API channel with the session token as a Bearer header; throws the error envelope. */
export async function callApi<C extends ApiChannel>(baseUrl: string, token: string, channel: C, body: ApiRequest<C>): Promise<ApiResponse<C>> {
  const res = await fetch(`${baseUrl}api/${channel}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  })
  const envelope = (await res.json()) as { ok: true; value: ApiResponse<C> } | { ok: false; error: { code: string; message: string } }
  if (!envelope.ok) throw new Error(`${channel}: ${envelope.error.code}: ${envelope.error.message}`)
  return envelope.value
}

/** The HTTP status of a WebSocket handshake on /events (101 when it opens). */
export function socketStatus(baseUrl: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new NodeWebSocket(baseUrl.replace(/^http/, 'ws') + 'events', { headers: { Origin: baseUrl.replace(/\/$/, ''), ...headers } })
    ws.once('open', () => {
      ws.close()
      resolve(101)
    })
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    ws.once('error', reject)
  })
}

/** A finished CLI run. */
export interface CliRun {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs `node bin/constella.mjs ...args` to its end. */
export function runCli(args: string[], timeoutMs = 120_000): Promise<CliRun> {
  const child = spawn(process.execPath, [path.join(root, 'bin/constella.mjs'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    }),
  )
}

/** Where {@link reportFailure} appends its reports; `.ci/run` prints it when the tests fail. */
export const FAILURES_FILE = path.join(RESULTS_DIR, 'e2e-failures.txt')

/** What a failed test's report needs: the page, the server's output, the page's errors so far. */
export interface FailureContext {
  page: () => Page | undefined
  serverOutput: () => string
  errors: readonly string[]
  /** The page's API calls and pushed events ({@link recordTraffic}). */
  traffic?: () => readonly string[]
}

/**
 * Records the page's API calls (sent, answered, with ms since the page opened) and the events
 * pushed to it, the last `keep` of them: the order things happened in, for a failure report.
 */
export function recordTraffic(page: Page, keep = 40): string[] {
  const log: string[] = []
  const t0 = performance.now()
  const add = (line: string): void => {
    log.push(`${(performance.now() - t0).toFixed(0).padStart(7)} ms ${line}`)
    if (log.length > keep) log.shift()
  }
  const channel = (url: string): string => new URL(url).pathname.replace(/^\/api\//, '')
  const apiCall = (url: string): boolean => new URL(url).pathname.startsWith('/api/')
  page.on('request', (r) => apiCall(r.url()) && add(`→ ${channel(r.url())} ${(r.postData() ?? '').slice(0, 120)}`))
  page.on('response', (r) => apiCall(r.url()) && add(`← ${channel(r.url())} ${r.status()}`))
  page.on('requestfailed', (r) => apiCall(r.url()) && add(`✗ ${channel(r.url())} ${r.failure()?.errorText ?? ''}`))
  page.on('websocket', (ws) => ws.on('framereceived', (f) => add(`⇠ ${String(f.payload).slice(0, 140)}`)))
  return log
}

/**
 * After a failed e2e test: a screenshot, what the page shows in dialogs, toasts and the status
 * line, the page's errors and the server's last output lines. Printed, and appended to
 * {@link FAILURES_FILE} so a CI log that keeps only its tail still says what the app was doing.
 */
async function reportFailure(ctx: FailureContext, test: string): Promise<void> {
  const page = ctx.page()
  const name = `failed-${test.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`
  const shot = page ? await shoot(page, name).catch((err: unknown) => `no screenshot (${String(err)})`) : 'no page'
  const shown = page
    ? await Promise.race([
        page.evaluate(() =>
          Array.from(document.querySelectorAll('[role="dialog"], [data-testid="toast"], [data-testid="status-line"]'))
            .map((e) => `  [${e.getAttribute('data-testid') ?? e.getAttribute('role')}] ${(e as HTMLElement).innerText.replace(/\s+/g, ' ').slice(0, 400)}`)
            .join('\n'),
        ),
        new Promise<string>((resolve) => setTimeout(() => resolve('  (the page did not answer within 5 s)'), 5000)),
      ]).catch((err: unknown) => `  (cannot read the page: ${String(err)})`)
    : ''
  const report = [
    `=== ${test} failed (${new Date().toISOString()})`,
    `screenshot: ${shot}`,
    `page: ${page?.url().replace(/token=[^&]+/, 'token=…') ?? 'none'}`,
    `shown:\n${shown || '  (no dialog, toast or status line)'}`,
    `page errors: ${ctx.errors.length === 0 ? 'none' : '\n' + ctx.errors.map((e) => `  ${e}`).join('\n')}`,
    ...(ctx.traffic ? [`the page's last API calls and events:\n${ctx.traffic().join('\n')}`] : []),
    `last server output:\n${ctx.serverOutput().split('\n').slice(-20).join('\n')}`,
    '',
  ].join('\n')
  console.error(report)
  mkdirSync(RESULTS_DIR, { recursive: true })
  appendFileSync(FAILURES_FILE, report + '\n')
}

/**
 * For a file whose tests build on each other: after the first failure, reports it
 * ({@link reportFailure}) and skips the tests after it, so the log ends with the failure that
 * matters rather than with every later test failing for the same reason.
 */
export function stopAfterFirstFailure(ctx: FailureContext): void {
  let failed: string | null = null
  beforeEach(({ skip }) => {
    if (failed !== null) skip(`skipped: "${failed}" failed before it, and this test builds on it`)
  })
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail' || failed !== null) return
    failed = task.name
    await reportFailure(ctx, task.name)
  })
}

/** Saves a screenshot of the page as test-results/workbench-<view>.png. */
export async function shoot(page: Page, view: string): Promise<string> {
  mkdirSync(RESULTS_DIR, { recursive: true })
  const file = path.join(RESULTS_DIR, `workbench-${view}.png`)
  await page.screenshot({ path: file })
  return file
}
