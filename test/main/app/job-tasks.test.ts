/**
 * Tasks of every kind through the app's one job queue, over a real library (SQLite, migrations):
 * progress and `detail` pushed and kept, failure and cancel, one job at a time, and what a stop
 * or a crash leaves (a task is never resumed half-done: it ends with the reason).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiEventMessage, JobInfo } from '../../../src/shared/api-contract.js'
import { EventBus } from '../../../src/main/app/event-bus.js'
import { JobManager } from '../../../src/main/app/job-manager.js'
import { INTERRUPTED_REASON, SHUTDOWN_REASON } from '../../../src/main/app/job-task.js'
import { Library } from '../../../src/main/engine/library/library.js'
import { JobRepository } from '../../../src/main/engine/store/job-repository.js'

let dir: string
let lib: Library
let events: EventBus
const seen: ApiEventMessage[] = []

const updates = (id: number): JobInfo[] => seen.flatMap((m) => (m.event === 'job.updated' && m.payload.id === id ? [m.payload] : []))
const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms))

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'constella-tasks-'))
  lib = await Library.open({ dir })
  events = new EventBus()
  events.subscribe((m) => seen.push(m))
})

afterAll(async () => {
  await lib?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('job tasks', () => {
  it('runs tasks one at a time with progress and detail, kept with the job', async () => {
    const jobs = new JobManager(lib, events)
    const order: string[] = []
    const first = jobs.runTask({ kind: 'export', title: 'Exporting', args: { format: 'coco' } }, async (ctx) => {
      order.push('first start')
      for (let i = 1; i <= 3; i++) {
        await tick(100)
        ctx.progress(i, 3)
      }
      ctx.detail({ kind: 'activate-head', headId: 'h', photos: 3, reembedSeconds: 1, reindexSeconds: 0 })
      order.push('first end')
    })
    const second = jobs.runTask({ kind: 'map', title: 'Map' }, async () => {
      order.push('second')
    })
    expect(first).toMatchObject({ kind: 'export', state: 'queued', title: 'Exporting' })
    await jobs.idle()
    expect(order).toEqual(['first start', 'first end', 'second'])
    const done = jobs.get(first.id)
    expect(done).toMatchObject({ state: 'completed', done: 3, total: 3, error: null, detail: { kind: 'activate-head', headId: 'h' } })
    expect(jobs.get(second.id).state).toBe('completed')
    const pushed = updates(first.id)
    expect(pushed.map((j) => j.state)).toEqual(expect.arrayContaining(['queued', 'running', 'completed']))
    expect(pushed.some((j) => j.state === 'running' && j.detail?.kind === 'activate-head')).toBe(true)
    expect(new JobManager(lib, events).get(first.id).detail).toEqual(done.detail)
  })

  it('fails a task that throws, and cancels a running one through its signal', async () => {
    const jobs = new JobManager(lib, events)
    const failing = jobs.runTask({ kind: 'import', title: 'Importing' }, async () => {
      throw new Error('the file is not COCO JSON')
    })
    let aborted = false
    const long = jobs.runTask({ kind: 'train', title: 'Training' }, async (ctx) => {
      while (!ctx.signal.aborted) await tick()
      aborted = true
    })
    while (jobs.get(long.id).state !== 'running') await tick()
    expect(jobs.get(failing.id)).toMatchObject({ state: 'failed', error: 'the file is not COCO JSON' })
    expect(await jobs.cancel(long.id)).toMatchObject({ state: 'cancelled', error: null })
    expect(aborted).toBe(true)
  })

  it('ends a task stopped by shutdown, and one a crash left running, with the reason (never resumed)', async () => {
    const jobs = new JobManager(lib, events)
    const running = jobs.runTask({ kind: 'scenes', title: 'Scenes' }, async (ctx) => {
      while (!ctx.signal.aborted) await tick()
    })
    while (jobs.get(running.id).state !== 'running') await tick()
    await jobs.dispose()
    expect(new JobManager(lib, events).get(running.id)).toMatchObject({ state: 'cancelled', error: SHUTDOWN_REASON })

    const repo = new JobRepository(lib.store.db, Date.now)
    const crashed = repo.create('train', 'Training', {})
    repo.update(crashed.id, { state: 'running' })
    const queued = repo.create('export', 'Exporting', {})
    const after = new JobManager(lib, events)
    after.resume()
    await after.idle()
    for (const id of [crashed.id, queued.id]) expect(after.get(id)).toMatchObject({ state: 'failed', error: INTERRUPTED_REASON })
  })
})
