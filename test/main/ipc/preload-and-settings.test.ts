// The preload's bridge and the shell settings. Electron cannot load under Node (no runtime here),
// so its two objects are stood in for: ipcRenderer by a real EventEmitter, contextBridge by a
// record of what is exposed. The Electron e2e test runs the real thing where the runtime exists.
import { EventEmitter } from 'node:events'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { API_CHANNELS, IPC_EVENT_CHANNEL, ipcChannelName, type ApiEventMessage } from '../../../src/shared/api-contract.js'

const exposed = new Map<string, unknown>()
const invoked: unknown[][] = []
const ipcRenderer = Object.assign(new EventEmitter(), { invoke: async (...args: unknown[]) => (invoked.push(args), { ok: true, value: null }) })

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
  ipcRenderer,
  app: {},
}))

describe('preload', async () => {
  await import('../../../src/preload/index.js')
  const api = exposed.get('api') as Record<string, (r: unknown) => Promise<unknown>>
  const events = exposed.get('constellaEvents') as { subscribe(h: (m: ApiEventMessage) => void): () => void }

  it('exposes one frozen function per channel and an event subscription, never ipcRenderer', async () => {
    expect([...exposed.keys()]).toEqual(['api', 'constellaEvents'])
    expect(Object.keys(api)).toEqual([...API_CHANNELS])
    expect(Object.isFrozen(api)).toBe(true)
    expect(Object.values(exposed)).not.toContain(ipcRenderer)
    await api['photos.get']({ id: 3 })
    expect(invoked).toEqual([[ipcChannelName('photos.get'), { id: 3 }]])
  })

  it('delivers pushed events without the IPC event object, and unsubscribes', () => {
    const got: unknown[][] = []
    const off = events.subscribe((...args) => got.push(args))
    const message: ApiEventMessage = { event: 'library.changed', payload: { reason: 'removed', photoIds: [4] } }
    ipcRenderer.emit(IPC_EVENT_CHANNEL, { sender: ipcRenderer }, message)
    expect(got).toEqual([[message]])
    off()
    expect(ipcRenderer.listenerCount(IPC_EVENT_CHANNEL)).toBe(0)
    expect(() => events.subscribe('nope' as never)).toThrow(TypeError)
  })
})

describe('shell settings', async () => {
  const { applyEnvironment, loadSettings } = await import('../../../src/main/settings.js')
  const dir = mkdtempSync(path.join(tmpdir(), 'constella-settings-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('reads the file, ignores an invalid one, and lets the environment win', () => {
    const file = path.join(dir, 'settings.json')
    expect(loadSettings(file)).toEqual({})
    writeFileSync(file, JSON.stringify({ libraryDir: '/data/lib', other: 1 }))
    expect(loadSettings(file)).toEqual({ libraryDir: '/data/lib' })
    writeFileSync(file, '{broken')
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(loadSettings(file)).toEqual({})
    expect(errors.mock.calls[0][0]).toContain('is invalid and was ignored')
    errors.mockRestore()
    expect(applyEnvironment({ libraryDir: '/data/lib', packDir: '/p' }, { CONSTELLA_LIBRARY: '/env/lib' })).toEqual({ libraryDir: '/env/lib', packDir: '/p' })
    expect(applyEnvironment({}, {})).toEqual({})
  })
})
