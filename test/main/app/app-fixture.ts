/**
 * A real app engine for the app and API tests: a temp library, a temp folder of real coco-dev
 * photos, the real model pack and inference process, and every pushed event recorded.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { expect } from 'vitest'
import type { ApiChannel, ApiEventMessage, ApiRequest, ApiResponse } from '../../../src/shared/api-contract.js'
import { createApi, type Api } from '../../../src/main/api/handlers.js'
import { createAppEngine, type AppEngine, type AppEngineOptions } from '../../../src/main/app/app-engine.js'
import { COCO_DEV_DIR, cocoDevImages } from '../../support/coco-images.js'

/** Absolute paths of coco-dev photos `from` .. `from + count - 1` (in file order). */
export function cocoFiles(count: number, from = 0): string[] {
  return cocoDevImages().slice(from, from + count).map((i) => path.join(COCO_DEV_DIR, 'images', i.file))
}

/** Copies coco-dev photos into `dir`; returns the copies' paths. */
export function copyPhotos(dir: string, count: number, from = 0): string[] {
  mkdirSync(dir, { recursive: true })
  return cocoFiles(count, from).map((src) => {
    const to = path.join(dir, path.basename(src))
    copyFileSync(src, to)
    return to
  })
}

/** A running app over a temp library. */
export interface AppFixture {
  root: string
  libraryDir: string
  engine: AppEngine
  api: Api
  events: ApiEventMessage[]
  /** Calls a channel and returns its value (fails the test on an error envelope). */
  call<C extends ApiChannel>(channel: C, request: ApiRequest<C>): Promise<ApiResponse<C>>
  /** Closes the engine and opens it again on the same library. */
  reopen(options?: Partial<AppEngineOptions>): Promise<void>
  cleanup(): Promise<void>
}

/** Starts an app engine in browser mode over a new temp library under a new temp root. */
export async function startApp(options: Partial<AppEngineOptions> = {}): Promise<AppFixture> {
  const root = mkdtempSync(path.join(tmpdir(), 'constella-app-'))
  const libraryDir = path.join(root, 'library')
  const fixture = { root, libraryDir, events: [] as ApiEventMessage[] } as AppFixture
  const open = async (more: Partial<AppEngineOptions>) => {
    fixture.engine = await createAppEngine({ mode: 'browser', libraryDir, ...options, ...more })
    fixture.api = createApi(fixture.engine.services, { onInternalError: (channel, err) => console.error(`[api] ${channel}:`, err) })
    fixture.engine.services.events.subscribe((m) => fixture.events.push(m))
  }
  await open({})
  fixture.call = async (channel, request) => {
    const reply = await fixture.api.call(channel, request)
    if (!reply.ok) expect.fail(`${channel} failed: ${reply.error.code}: ${reply.error.message}`)
    return reply.value
  }
  fixture.reopen = async (more = {}) => {
    await fixture.engine.dispose()
    await open(more)
  }
  fixture.cleanup = async () => {
    await fixture.engine.dispose()
    rmSync(root, { recursive: true, force: true })
  }
  return fixture
}

/** Waits until no job is queued or running; returns the jobs. */
export async function jobsDone(app: AppFixture, timeoutMs = 120_000): Promise<ApiResponse<'jobs.list'>> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const jobs = await app.call('jobs.list', {})
    if (!jobs.some((j) => j.state === 'queued' || j.state === 'running')) return jobs
    if (Date.now() > until) throw new Error(`jobs still running after ${timeoutMs} ms: ${JSON.stringify(jobs)}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}
