/**
 * Jobs, folders and settings through the API over a real library indexed by the app: progress
 * events (throttled, with rate and ETA), per-photo problems kept across a restart, cancel, a job
 * interrupted by a stop that resumes at the next start, folder checks, removal (files untouched),
 * settings kept across a restart, and the app named in the library lock.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobInfo } from '../../../src/shared/api-contract.js'
import { readLibraryLock } from '../../../src/main/engine/library/library-lock.js'
import { PROGRESS_INTERVAL_MS } from '../../../src/main/app/job-manager.js'
import { copyPhotos, jobsDone, startApp, type AppFixture } from './app-fixture.js'

let app: AppFixture
let photosDir: string
let photos: string[]

const jobEvents = (id: number): (JobInfo & { at: number })[] => app.events
  .flatMap((m, i) => (m.event === 'job.updated' && m.payload.id === id ? [{ ...m.payload, at: times[i] }] : []))
const times: number[] = []

/** Resolves once job `id` has reported `done` photos. */
async function doneAtLeast(id: number, done: number): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (jobEvents(id).some((e) => e.done >= done)) return
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`job ${id} never reached ${done} photos`)
}

beforeAll(async () => {
  app = await startApp()
  app.engine.services.events.subscribe(() => times.push(Date.now()))
  photosDir = path.join(app.root, 'photos')
  photos = copyPhotos(photosDir, 10, 60)
  writeFileSync(path.join(photosDir, 'notes.jpg'), 'shopping list: milk, eggs, a new lens cap\n'.repeat(20))
  const jpeg = readFileSync(photos[0])
  writeFileSync(path.join(photosDir, 'truncated.jpg'), jpeg.subarray(0, Math.floor(jpeg.length / 2)))
})

afterAll(async () => app?.cleanup())

describe('index jobs', () => {
  it('reports progress at most ~4 times a second, with rate and ETA, and keeps the problems of bad files', async () => {
    const { jobId, folder } = await app.call('folders.add', { path: photosDir })
    expect(folder).toMatchObject({ path: photosDir, available: true })
    await doneAtLeast(jobId, 1)
    const cancelled = await app.call('jobs.cancel', { id: jobId })
    expect(cancelled.state).toBe('cancelled')
    expect(cancelled.done).toBeLessThan(12)
    expect((await app.call('library.status', {})).photos.pending).toBeGreaterThan(0)
    // The grid asks for no thumbnail a waiting photo does not have yet.
    const thumbs = async () => (await app.call('photos.list', { limit: 100 })).items.map((c) => `${c.status}:${c.thumbnail}`)
    const seen = new Set(await thumbs())
    expect([...seen].filter((t) => !t.startsWith('failed')).sort()).toEqual(['indexed:true', 'pending:false'])

    const { jobId: again } = await app.call('folders.rescan', { path: photosDir })
    const [job] = await jobsDone(app)
    expect(job).toMatchObject({ id: again, state: 'completed', done: 12, total: 12, failed: 2, error: null })
    expect((await thumbs()).filter((t) => t.startsWith('indexed')).sort()).toEqual(Array(10).fill('indexed:true'))
    const events = jobEvents(again)
    expect(events.map((e) => e.state)).toEqual(expect.arrayContaining(['queued', 'running', 'completed']))
    const progress = events.filter((e, i) => e.state === 'running' && events[i - 1]?.state === 'running')
    for (let i = 1; i < progress.length; i++) expect(progress[i].at - progress[i - 1].at).toBeGreaterThanOrEqual(PROGRESS_INTERVAL_MS - 30)
    const moving = events.find((e) => e.state === 'running' && e.done > 0 && e.done < 12)!
    expect(moving.rate).toBeGreaterThan(0)
    expect(moving.etaSeconds).toBeGreaterThanOrEqual(0)
    expect(app.events.some((m) => m.event === 'library.changed' && m.payload.reason === 'indexed')).toBe(true)

    expect((await app.call('library.status', {})).folders).toMatchObject([{ path: photosDir, photos: 12, indexed: 10, failed: 2 }])
    const problems = await app.call('jobs.problems', {})
    expect(problems.map((p) => path.basename(p.path)).sort()).toEqual(['notes.jpg', 'truncated.jpg'])
    expect(problems.find((p) => p.path.endsWith('notes.jpg'))?.reason).toMatch(/not an image/)
    expect(problems.every((p) => p.jobId === again && p.photoId !== null)).toBe(true)
    const failed = await app.call('photos.list', { filter: { status: 'failed' } })
    expect(failed.items.map((c) => c.name).sort()).toEqual(['notes.jpg', 'truncated.jpg'])
    expect(failed.items.every((c) => c.error)).toBe(true)

    await app.reopen()
    expect(await app.call('jobs.problems', {})).toEqual(problems)
    expect((await app.call('jobs.list', {})).map((j) => j.state)).toEqual(['completed', 'cancelled'])
    const unknown = await app.api.call('jobs.cancel', { id: 999 })
    expect(!unknown.ok && unknown.error.code).toBe('not-found')
  })

  it('resumes a job interrupted by a stop of the app at the next start', async () => {
    const more = path.join(photosDir, 'more')
    copyPhotos(more, 6, 80)
    const { jobId } = await app.call('folders.rescan', {})
    await doneAtLeast(jobId, 1)
    await app.reopen()
    const [job] = await jobsDone(app)
    expect(job).toMatchObject({ id: jobId, state: 'completed', total: 18 })
    expect((await app.call('library.status', {})).photos).toEqual({ total: 18, indexed: 16, pending: 0, failed: 2 })
  })
})

describe('folders', () => {
  it('refuses a missing folder, a file, a relative path, a folder inside a library folder, and the library itself', async () => {
    const cases: [string, string, RegExp][] = [
      [path.join(app.root, 'nope'), 'not-found', /there is no folder/],
      [photos[1], 'bad-request', /is a file, not a folder/],
      ['photos', 'bad-request', /full path/],
      [path.join(photosDir, 'more'), 'bad-request', /inside the library folder/],
      [app.libraryDir, 'bad-request', /library's own files/],
      [app.root, 'bad-request', /library's own files/],
    ]
    for (const [p, code, message] of cases) {
      const reply = await app.api.call('folders.add', { path: p })
      expect(reply.ok ? reply : reply.error, p).toMatchObject({ code, message: expect.stringMatching(message) })
    }
    const pick = await app.api.call('folders.pick', {})
    expect(!pick.ok && pick.error.code).toBe('unsupported')
  })

  it('removes a folder: its photos, vectors and thumbnails leave the library, its files stay', async () => {
    const thumbs = readdirSync(path.join(app.libraryDir, 'thumbs'), { recursive: true }).filter((f) => String(f).endsWith('.jpg'))
    expect(thumbs.length).toBeGreaterThan(0)
    const { removedPhotos } = await app.call('folders.remove', { path: `${photosDir}/` })
    expect(removedPhotos).toBe(18)
    expect(photos.every((p) => existsSync(p))).toBe(true)
    expect(await app.call('library.status', {})).toMatchObject({ folders: [], photos: { total: 0 }, objects: 0 })
    expect(app.engine.library.indexes.photos.size).toBe(0)
    expect(app.engine.library.indexes.objects.size).toBe(0)
    expect(readdirSync(path.join(app.libraryDir, 'thumbs'), { recursive: true }).filter((f) => String(f).endsWith('.jpg'))).toEqual([])
    const last = app.events.at(-1)
    expect(last?.event === 'library.changed' && last.payload).toMatchObject({ reason: 'removed' })
    const again = await app.api.call('folders.remove', { path: photosDir })
    expect(!again.ok && again.error.code).toBe('not-found')
  })
})

describe('settings and the library lock', () => {
  it('keeps settings across a restart and pushes changes', async () => {
    expect(await app.call('settings.get', {})).toEqual({ detectionThreshold: 0.25, sceneCount: 6 })
    expect(await app.call('settings.set', { detectionThreshold: 0.4 })).toEqual({ detectionThreshold: 0.4, sceneCount: 6 })
    expect(app.events.at(-1)).toEqual({ event: 'settings.changed', payload: { detectionThreshold: 0.4, sceneCount: 6 } })
    expect(await app.call('settings.set', { sceneCount: 8 })).toEqual({ detectionThreshold: 0.4, sceneCount: 8 })
    const bad = await app.api.call('settings.set', { detectionThreshold: 2 })
    expect(!bad.ok && bad.error.code).toBe('bad-request')
    await app.reopen()
    expect(await app.call('settings.get', {})).toEqual({ detectionThreshold: 0.4, sceneCount: 8 })
  })

  it('names the app, and the URL it serves, in the library lock', async () => {
    app.engine.setServedUrl('http://127.0.0.1:5331/')
    expect(readLibraryLock(app.libraryDir)).toMatchObject({ pid: process.pid, app: true, command: 'constella serve', url: 'http://127.0.0.1:5331/' })
    let info = await app.call('app.info', {})
    expect(info).toMatchObject({ mode: 'browser', libraryDir: app.libraryDir, platform: process.platform })
    expect(info.classNames).toHaveLength(80)
    // the provider is known once the detector has loaded in the background (absent until then)
    for (let i = 0; i < 60 && !info.provider; i++) info = await app.call('app.info', {})
    expect(info.provider!.summary.split('\n')).toHaveLength(1)
    expect(info.provider!.detail).toContain(info.provider!.name)
    mkdirSync(path.join(app.root, 'empty'))
    expect((await app.call('folders.add', { path: path.join(app.root, 'empty') })).folder.photos).toBe(0)
  })
})
