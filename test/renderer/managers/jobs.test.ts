import { mockApi, settle } from '../support/mock-api.js'
import { beforeEach, describe, expect, it } from 'vitest'
import { isLive, jobFraction, JobsManager } from '../../../src/renderer/lib/managers/jobs.svelte.js'
import { job } from '../support/records.js'

describe('JobsManager', () => {
  beforeEach(() => mockApi.reset())

  it('lists jobs newest first and picks the live one for the status line', async () => {
    mockApi.handle('jobs.list', () => [job(1, 'completed'), job(3, 'running', 4, 10), job(2, 'failed')])
    const jobs = new JobsManager()
    await jobs.refresh()
    expect(jobs.jobs.map((j) => j.id)).toEqual([3, 2, 1])
    expect(jobs.active?.id).toBe(3)
  })

  it('follows job.updated and loads the problems when a job with failures ends', async () => {
    mockApi.handle('jobs.list', () => [job(5, 'running', 1, 3)])
    mockApi.handle('jobs.problems', ({ id }) => [{ jobId: id ?? 5, path: '/p/bad.jpg', photoId: 9, reason: 'the JPEG data is cut short', at: 1 }])
    const jobs = new JobsManager()
    await jobs.refresh()
    const off = jobs.connect()
    mockApi.emit('job.updated', job(5, 'running', 2, 3))
    expect(jobs.active?.done).toBe(2)
    mockApi.emit('job.updated', job(5, 'completed', 3, 3, { failed: 1 }))
    await settle()
    expect(jobs.active).toBeNull()
    expect(jobs.problemsJobId).toBe(5)
    expect(jobs.problems[0].reason).toBe('the JPEG data is cut short')
    off()
    expect(mockApi.listenerCount('job.updated')).toBe(0)
  })

  it('cancels through the app and shows the answer', async () => {
    mockApi.handle('jobs.cancel', ({ id }) => job(id, 'cancelled', 2, 10))
    const jobs = new JobsManager()
    jobs.upsert(job(4, 'running', 2, 10))
    await jobs.cancel(4)
    expect(jobs.jobs).toHaveLength(1)
    expect(jobs.jobs[0].state).toBe('cancelled')
  })

  it('reports a failed list instead of showing nothing', async () => {
    mockApi.fail('jobs.list', 'the app is not running')
    const jobs = new JobsManager()
    await jobs.refresh()
    expect(jobs.error).toBe('the app is not running')
  })

  it('computes progress, unknown while scanning', () => {
    expect(jobFraction(job(1, 'running', 5, 20))).toBe(0.25)
    expect(jobFraction(job(1, 'running', 5, null))).toBeNull()
    expect(jobFraction(job(1, 'completed', 0, 0))).toBe(1)
    expect(isLive(job(1, 'queued'))).toBe(true)
    expect(isLive(job(1, 'cancelled'))).toBe(false)
  })
})
