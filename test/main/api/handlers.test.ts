/**
 * The dispatcher and the handlers over a real app engine on an empty library (real pack, real
 * SQLite): request parsing, error envelopes, and what each channel answers before any folder.
 */
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_CHANNELS } from '../../../src/shared/api-contract.js'
import { ApiError } from '../../../src/shared/envelope.js'
import { createApi, handlers } from '../../../src/main/api/handlers.js'
import { packModels } from '../../../src/main/api/services.js'
import { readManifest } from '../../../src/main/engine/models/pack.js'
import { startApp, type AppFixture } from '../app/app-fixture.js'

let app: AppFixture

beforeAll(async () => {
  app = await startApp()
})

afterAll(async () => app?.cleanup())

describe('createApi', () => {
  it('has one handler per channel of the contract', () => {
    expect(Object.keys(handlers).sort()).toEqual([...API_CHANNELS].sort())
  })

  it.each([
    ['unknown keys', { extra: 1 }],
    ['an array', []],
    ['null', null],
    ['a string', 'hello'],
    ['undefined', undefined],
  ])('rejects a request that is %s with bad-request, without running the handler', async (_what, request) => {
    let ran = false
    const api = createApi({ ...app.engine.services, models: { packDir: '/p', check: () => ((ran = true), []) } })
    const reply = await api.dispatch('models.list', request)
    expect(reply.ok).toBe(false)
    expect(!reply.ok && reply.error.code).toBe('bad-request')
    expect(!reply.ok && reply.error.message).toMatch(/invalid request for models.list/)
    expect(ran).toBe(false)
  })

  it('rejects channels that are not in the contract', async () => {
    for (const channel of ['nope', 'constructor', '__proto__', 'toString', '']) {
      expect(await app.api.dispatch(channel, {})).toEqual({ ok: false, error: { code: 'unknown-channel', message: `no API channel "${channel}"` } })
    }
  })

  it('passes an ApiError code through and turns anything else into internal', async () => {
    const seen: unknown[] = []
    const failing = (check: () => never) => createApi({ ...app.engine.services, models: { packDir: '/p', check } }, { onInternalError: (_c, e) => seen.push(e) })
    const missingPack = await failing(() => packModels('/nonexistent/constella-pack') as never).call('models.list', {})
    expect(!missingPack.ok && missingPack.error).toMatchObject({ code: 'pack-unavailable', message: expect.stringContaining('/nonexistent/constella-pack') })
    const busy = await failing(() => { throw new ApiError('busy', 'later') }).call('models.list', {})
    expect(busy).toEqual({ ok: false, error: { code: 'busy', message: 'later' } })
    expect(seen).toEqual([])
    const boom = new Error('disk on fire')
    expect(await failing(() => { throw boom }).call('models.list', {})).toEqual({ ok: false, error: { code: 'internal', message: 'disk on fire' } })
    expect(seen).toEqual([boom])
  })
})

describe('an empty library', () => {
  it('lists the verified model pack', async () => {
    const models = await app.call('models.list', {})
    expect(models.map((m) => m.name)).toEqual(readManifest().models.map((m) => m.name))
    expect(models.every((m) => m.status === 'ok')).toBe(true)
  })

  it('answers the views with nothing yet, and says what to do for a search', async () => {
    expect(await app.call('photos.list', {})).toEqual({ items: [], nextCursor: null, offset: 0 })
    expect(await app.call('photos.count', { filter: { labels: [1] } })).toEqual({ total: 0 })
    expect(await app.call('library.status', {})).toMatchObject({ folders: [], photos: { total: 0 }, objects: 0, activeJob: null })
    expect(await app.call('jobs.list', {})).toEqual([])
    expect(await app.call('jobs.problems', {})).toEqual([])
    const search = await app.api.call('search.run', { query: { kind: 'photo', photoId: 1 } })
    expect(!search.ok && search.error).toMatchObject({ code: 'busy', message: expect.stringMatching(/add a folder/) })
    const rescan = await app.api.call('folders.rescan', {})
    expect(!rescan.ok && rescan.error.code).toBe('bad-request')
    const graph = await app.api.call('photos.graph', { id: 1 })
    expect(!graph.ok && graph.error.code).toBe('not-found')
  })

  it('calls the injected folder dialog (Electron) and says unsupported without one', async () => {
    const unsupported = await app.api.call('folders.pick', {})
    expect(!unsupported.ok && unsupported.error.code).toBe('unsupported')
    const api = createApi({ ...app.engine.services, folders: { ...app.engine.services.folders, pick: async () => '/home/ann/Pictures' } })
    expect(await api.call('folders.pick', {})).toEqual({ ok: true, value: { path: '/home/ann/Pictures' } })
  })
})

describe('fs.browse', () => {
  it('lists sub-folders with their photo counts, skips hidden ones and files, follows links', async () => {
    const root = path.join(app.root, 'browse')
    mkdirSync(path.join(root, 'Album', 'nested'), { recursive: true })
    mkdirSync(path.join(root, '.hidden'))
    mkdirSync(path.join(root, 'empty'))
    for (const f of ['a.jpg', 'b.JPEG', 'c.heic', 'notes.txt', '.d.jpg']) writeFileSync(path.join(root, 'Album', f), 'x')
    writeFileSync(path.join(root, 'top.png'), 'x')
    symlinkSync(path.join(root, 'Album'), path.join(root, 'link'))
    const listing = await app.call('fs.browse', { path: root })
    expect(listing).toMatchObject({ path: root, parent: app.root, photos: 1 })
    expect(listing.entries).toEqual([
      { name: 'Album', path: path.join(root, 'Album'), photos: 3, hasFolders: true },
      { name: 'empty', path: path.join(root, 'empty'), photos: 0, hasFolders: false },
      { name: 'link', path: path.join(root, 'link'), photos: 3, hasFolders: true },
    ])
    expect(listing.places).toEqual([{ name: 'Home', path: os.homedir() }, { name: '/', path: '/' }])
    expect((await app.call('fs.browse', {})).path).toBe(os.homedir())
    expect((await app.call('fs.browse', { path: '/' })).parent).toBeNull()
    const missing = await app.api.call('fs.browse', { path: path.join(root, 'nope') })
    expect(!missing.ok && missing.error.code).toBe('not-found')
    const relative = await app.api.call('fs.browse', { path: 'Album' })
    expect(!relative.ok && relative.error.code).toBe('bad-request')
  })

  it.skipIf(process.getuid?.() === 0)('reports an unreadable sub-folder instead of failing (skipped as root, who reads everything)', async () => {
    const root = path.join(app.root, 'locked-parent')
    mkdirSync(path.join(root, 'locked'), { recursive: true })
    chmodSync(path.join(root, 'locked'), 0)
    try {
      const listing = await app.call('fs.browse', { path: root })
      expect(listing.entries).toEqual([{ name: 'locked', path: path.join(root, 'locked'), photos: null, hasFolders: false }])
    } finally {
      chmodSync(path.join(root, 'locked'), 0o755)
    }
  })
})
