import { mockApi, settle } from '../support/mock-api.js'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { FolderBrowser } from '../../../src/renderer/lib/managers/folder-browser.svelte.js'
import { LibraryManager, throttle } from '../../../src/renderer/lib/managers/library.svelte.js'
import { SettingsManager } from '../../../src/renderer/lib/managers/settings.svelte.js'
import type { LibraryStatus } from '../../../src/shared/api-types.js'
import { job } from '../support/records.js'

const status = (folders: number): LibraryStatus => ({
  dir: '/lib',
  folders: Array.from({ length: folders }, (_, i) => ({ path: `/photos/${i}`, photos: 3, indexed: 3, failed: 0, available: true, addedAt: 1 })),
  photos: { total: folders * 3, indexed: folders * 3, pending: 0, failed: 0 },
  objects: 10,
  activeJob: null,
})

describe('LibraryManager', () => {
  beforeEach(() => mockApi.reset())
  afterEach(() => vi.useRealTimers())

  it('knows a first run (no folder) from a library with photos', async () => {
    let folders = 0
    mockApi.handle('library.status', () => status(folders))
    const library = new LibraryManager()
    expect(library.isEmpty).toBe(false)
    await library.refresh()
    expect(library.isEmpty).toBe(true)
    folders = 2
    await library.refresh()
    expect(library.isEmpty).toBe(false)
    expect(library.folders.map((f) => f.path)).toEqual(['/photos/0', '/photos/1'])
  })

  it('refreshes on library.changed and every job update, throttled', async () => {
    mockApi.handle('library.status', () => status(1))
    const library = new LibraryManager()
    const off = library.connect(50)
    mockApi.emit('library.changed', { reason: 'indexed', photoIds: [1] })
    mockApi.emit('library.changed', { reason: 'indexed', photoIds: [2] })
    mockApi.emit('job.updated', job(1, 'running'))
    await settle()
    expect(mockApi.callsOf('library.status')).toHaveLength(1)
    mockApi.emit('job.updated', job(1, 'completed'))
    await new Promise((r) => setTimeout(r, 80))
    expect(mockApi.callsOf('library.status')).toHaveLength(2)
    // A running job's progress alone moves the counts (the sidebar badge follows the grid).
    mockApi.emit('job.updated', job(2, 'running'))
    await new Promise((r) => setTimeout(r, 80))
    expect(mockApi.callsOf('library.status')).toHaveLength(3)
    off()
  })

  it('throttle runs the first call now and one trailing call', () => {
    vi.useFakeTimers()
    const fn = vi.fn()
    const t = throttle(fn, 100)
    t()
    t()
    t()
    expect(fn).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(100)
    expect(fn).toHaveBeenCalledTimes(2)
  })
})

describe('SettingsManager', () => {
  beforeEach(() => mockApi.reset())

  it('loads, saves a rounded clamped threshold, and follows settings.changed', async () => {
    mockApi.handle('settings.get', () => ({ detectionThreshold: 0.3, sceneCount: 6 }))
    mockApi.handle('settings.set', (req) => ({ detectionThreshold: req.detectionThreshold ?? 0.3, sceneCount: 6 }))
    const settings = new SettingsManager()
    expect(settings.detectionThreshold).toBe(0.25)
    await settings.load()
    expect(settings.detectionThreshold).toBe(0.3)
    await settings.setDetectionThreshold(0.4567)
    expect(mockApi.callsOf('settings.set')).toEqual([{ detectionThreshold: 0.46 }])
    await settings.setDetectionThreshold(2)
    expect(settings.detectionThreshold).toBe(0.95)
    const off = settings.connect()
    mockApi.emit('settings.changed', { detectionThreshold: 0.5, sceneCount: 6 })
    expect(settings.detectionThreshold).toBe(0.5)
    off()
  })

  it('keeps the old value and says why when saving fails', async () => {
    mockApi.handle('settings.get', () => ({ detectionThreshold: 0.3, sceneCount: 6 }))
    mockApi.fail('settings.set', 'detectionThreshold: too small', 'bad-request')
    const settings = new SettingsManager()
    await settings.load()
    await expect(settings.setDetectionThreshold(0.5)).rejects.toThrow('too small')
    expect(settings.detectionThreshold).toBe(0.3)
    expect(settings.error).toBe('detectionThreshold: too small')
  })
})

describe('FolderBrowser', () => {
  beforeEach(() => mockApi.reset())

  it('opens home, goes into a folder and back up, and keeps the listing when a folder is unreadable', async () => {
    mockApi.handle('fs.browse', ({ path }) => {
      if (path === '/root') throw new Error('permission denied')
      const at = path ?? '/home/ann'
      return { path: at, parent: at === '/' ? null : '/home', photos: 0, entries: [], places: [{ name: 'Home', path: '/home/ann' }] }
    })
    const browser = new FolderBrowser()
    await browser.open()
    expect(browser.path).toBe('/home/ann')
    await browser.open('/home/ann/Pictures')
    await browser.up()
    expect(browser.listing?.path).toBe('/home')
    await browser.open('/root')
    expect(browser.error).toBe('permission denied')
    expect(browser.listing?.path).toBe('/home')
    expect(mockApi.callsOf('fs.browse')[0]).toEqual({})
  })

  it('does not overwrite a path the user types while the first listing loads', async () => {
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    mockApi.handle('fs.browse', async ({ path }) => {
      if (!path) await gate
      const at = path ?? '/home/ann'
      return { path: at, parent: '/', photos: 0, entries: [], places: [] }
    })
    const browser = new FolderBrowser()
    const first = browser.open()
    browser.path = '/photos/trip'
    release()
    await first
    expect(browser.listing?.path).toBe('/home/ann')
    expect(browser.path).toBe('/photos/trip')
  })
})
