import { mockApi, settle } from './support/mock-api.js'
import { beforeEach, describe, expect, it } from 'vitest'
import { createWorkbench, startWorkbench } from '../../src/renderer/lib/workbench.js'
import type { LibraryStatus } from '../../src/shared/api-types.js'
import { serveFakeLibrary } from './support/fake-library.js'

const status: LibraryStatus = { dir: '/lib', folders: [], photos: { total: 0, indexed: 0, pending: 0, failed: 0 }, objects: 0, activeJob: null }

describe('workbench wiring', () => {
  beforeEach(() => {
    mockApi.reset()
    mockApi.handle('app.info', () => ({ version: '1', platform: 'linux', mode: 'browser', packDir: '/p', libraryDir: '/lib', classNames: ['person'] }))
    mockApi.handle('models.list', () => [])
    mockApi.handle('library.status', () => status)
    mockApi.handle('jobs.list', () => [])
    mockApi.handle('settings.get', () => ({ detectionThreshold: 0.4, sceneCount: 6 }))
  })

  it('loads everything once, starts the photo viewer at the saved threshold, and unsubscribes on stop', async () => {
    const wb = createWorkbench()
    const stop = startWorkbench(wb)
    await settle()
    expect(wb.app.classNames).toEqual(['person'])
    expect(wb.viewer.threshold).toBe(0.4)
    expect(mockApi.listenerCount('library.changed')).toBe(3)
    stop()
    expect(mockApi.listenerCount('library.changed')).toBe(0)
    expect(mockApi.listenerCount('job.updated')).toBe(0)
  })

  it('refreshes a loaded grid on library.changed and refetches after the event connection comes back', async () => {
    serveFakeLibrary(10)
    const wb = createWorkbench()
    const stop = startWorkbench(wb)
    await wb.grid.setQuery({})
    const counts = mockApi.callsOf('photos.count').length
    mockApi.emit('library.changed', { reason: 'indexed' })
    await settle()
    expect(mockApi.callsOf('photos.count').length).toBe(counts + 1)

    const statusCalls = mockApi.callsOf('library.status').length
    mockApi.setConnection('reconnecting')
    expect(wb.connection.state).toBe('reconnecting')
    mockApi.setConnection('connected')
    await settle()
    expect(mockApi.callsOf('library.status').length).toBe(statusCalls + 1)
    expect(mockApi.callsOf('photos.count').length).toBe(counts + 2)
    stop()
  })

  it('fills an empty grid once the scan of a new folder has found photos', async () => {
    const lib = serveFakeLibrary(0)
    const wb = createWorkbench()
    const stop = startWorkbench(wb)
    await wb.grid.setQuery({})
    expect(wb.grid.total).toBe(0)
    lib.setTotal(61)
    const { job } = await import('./support/records.js')
    mockApi.emit('job.updated', job(1, 'running', 0, 61))
    await settle()
    expect(wb.grid.total).toBe(61)
    stop()
  })

  it('reloads an open photo that was waiting for analysis once it is analysed', async () => {
    const { photoDetail, photoGraph } = await import('./support/records.js')
    let status: 'pending' | 'indexed' = 'pending'
    mockApi.handle('photos.get', ({ id }) => ({ ...photoDetail(id), status, objects: status === 'pending' ? [] : photoDetail(id).objects }))
    mockApi.handle('photos.graph', () => photoGraph())
    mockApi.handle('photos.neighbours', () => ({ previous: null, next: null }))
    const wb = createWorkbench()
    const stop = startWorkbench(wb)
    await wb.viewer.open(7, { filter: {}, sort: { key: 'added', order: 'desc' } })
    expect(wb.viewer.objects).toEqual([])
    status = 'indexed'
    mockApi.emit('library.changed', { reason: 'indexed', photoIds: [8] })
    await settle()
    expect(mockApi.callsOf('photos.get')).toHaveLength(1)
    mockApi.emit('library.changed', { reason: 'indexed', photoIds: [7] })
    await settle()
    expect(wb.viewer.objects).toHaveLength(3)
    stop()
  })
})
