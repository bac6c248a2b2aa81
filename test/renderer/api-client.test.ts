import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { WebSocket } from 'ws'
import { sessionCookieName } from '../../src/main/http/session.js'
import { startHttpServer } from '../../src/main/http/server.js'
import { appMode, askEarly, call, connectionState, createEventClient, createHttpApi, EARLY_REPLY_MS, mediaUrl, type ConnectionState, type FetchLike, type SocketLike } from '../../src/renderer/lib/api.js'
import { HTTP_EVENTS_PATH } from '../../src/shared/api-contract.js'
import { ApiError } from '../../src/shared/envelope.js'
import { startHttpFixture, type HttpFixture } from '../main/http/http-fixture.js'

describe('renderer HTTP client', () => {
  it('POSTs JSON with the session cookie to /api/<channel> and returns the envelope', async () => {
    const seen: Parameters<FetchLike>[] = []
    const fetchFn: FetchLike = async (input, init) => {
      seen.push([input, init])
      return { status: 200, json: async () => ({ ok: true, value: [] }) }
    }
    expect(await createHttpApi(fetchFn)['models.list']({})).toEqual({ ok: true, value: [] })
    expect(seen).toEqual([['/api/models.list', { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' }, credentials: 'same-origin' }]])
  })

  it('turns a 401, network failures and non-envelope replies into clear envelopes', async () => {
    const noSession = createHttpApi(async () => ({ status: 401, json: async () => null }))
    await expect(call('app.info', {}, noSession)).rejects.toMatchObject({ code: 'unauthorized', message: expect.stringContaining('constella serve') })
    const down = createHttpApi(async () => Promise.reject(new TypeError('Failed to fetch')))
    expect(await down['app.info']({})).toEqual({ ok: false, error: { code: 'internal', message: 'cannot reach the Constella server: Failed to fetch' } })
    const proxy = createHttpApi(async () => ({ status: 502, json: async () => ({ hello: 1 }) }))
    const reply = await proxy['app.info']({})
    expect(!reply.ok && reply.error.message).toMatch(/HTTP 502 and no envelope/)
  })

  it('call() unwraps values and throws ApiError with the code', async () => {
    const failing = createHttpApi(async () => ({ status: 503, json: async () => ({ ok: false, error: { code: 'pack-unavailable', message: 'no pack' } }) }))
    await expect(call('models.list', {}, failing)).rejects.toEqual(new ApiError('pack-unavailable', 'no pack'))
  })

  it('points media at /media/<kind>/<id> in a browser', () => {
    expect(appMode).toBe('browser')
    expect(mediaUrl('thumb', 7)).toBe('/media/thumb/7')
    expect(mediaUrl('photo', 12)).toBe('/media/photo/12')
  })
})

describe('against the real server', () => {
  let f: HttpFixture
  let cookie: string
  beforeAll(async () => {
    f = await startHttpFixture()
    cookie = `${sessionCookieName(f.server.port)}=${f.server.token}`
  })
  afterAll(() => f.remove())

  /** fetch as the browser would send it: with (or without) the session cookie. */
  const browserFetch = (withCookie: boolean): FetchLike => (input, init) =>
    fetch(input, { ...init, headers: { ...init.headers, ...(withCookie ? { Cookie: cookie } : {}) } })
  const base = (): string => f.server.url.replace(/\/$/, '')

  it('speaks the contract with the cookie and says unauthorized without it', async () => {
    const models = await call('models.list', {}, createHttpApi(browserFetch(true), base()))
    expect(models.map((m) => m.status)).toEqual(['ok', 'mismatch', 'missing'])
    await expect(call('models.list', {}, createHttpApi(browserFetch(false), base()))).rejects.toMatchObject({ code: 'unauthorized' })
  })

  it('asks early: the first identical call takes the reply once, a later or different one asks again', async () => {
    const sent: string[] = []
    const counting: FetchLike = (input, init) => (sent.push(`${input} ${init.body}`), browserFetch(true)(input, init))
    const client = createHttpApi(counting, base())
    askEarly('models.list', {}, client)
    expect(sent).toHaveLength(1) // on its way before anyone calls
    const early = await call('models.list', {}, client)
    expect(early.map((m) => m.status)).toEqual(['ok', 'mismatch', 'missing'])
    expect(sent).toHaveLength(1) // taken, not asked again
    await call('models.list', {}, client)
    expect(sent).toHaveLength(2) // taken once only
    // another client's calls never see it
    askEarly('models.list', {}, client)
    await call('models.list', {}, createHttpApi(browserFetch(true), base()))
    expect(sent).toHaveLength(3)
    await call('models.list', {}, client)
    expect(sent).toHaveLength(3)
    // an early reply past EARLY_REPLY_MS is not used
    askEarly('models.list', {}, client)
    const now = vi.spyOn(performance, 'now').mockReturnValue(performance.now() + EARLY_REPLY_MS + 1)
    try {
      await call('models.list', {}, client)
    } finally {
      now.mockRestore()
    }
    expect(sent).toHaveLength(5)
  })

  const socketTo = (port: number, withCookie = true) => (): SocketLike =>
    new WebSocket(`ws://127.0.0.1:${port}${HTTP_EVENTS_PATH}`, { headers: withCookie ? { Cookie: `${sessionCookieName(port)}=${f.server.token}` } : {} }) as unknown as SocketLike
  const until = (states: ConnectionState[], want: ConnectionState): Promise<void> =>
    vi.waitFor(() => expect(states.at(-1)).toBe(want), { timeout: 10_000, interval: 20 })

  it('delivers typed events, reconnects with backoff after the server restarts, and delivers again', async () => {
    const port = f.server.port
    const client = createEventClient({ connect: socketTo(port), backoff: { initialMs: 50, maxMs: 200 } })
    const states: ConnectionState[] = []
    client.state.subscribe((s) => states.push(s))
    const changed: unknown[] = []
    const off = client.on('library.changed', (p) => changed.push(p))
    client.on('job.updated', () => changed.push('wrong event'))
    await until(states, 'connected')
    f.hub.emit({ event: 'library.changed', payload: { reason: 'indexed', photoIds: [5] } })
    await vi.waitFor(() => expect(changed).toEqual([{ reason: 'indexed', photoIds: [5] }]))

    // the server goes away and comes back on the same port with the same token
    const { media, hub, rendererDir } = f
    await f.server.close()
    await until(states, 'reconnecting')
    const api = { dispatch: async () => ({ ok: true as const, value: null }), call: async () => ({ ok: true, value: null }) as never }
    f.server = await startHttpServer({ api, media, events: hub, rendererDir, port, token: f.server.token })
    await until(states, 'connected')
    expect(states).toEqual(expect.arrayContaining(['connecting', 'connected', 'reconnecting']))
    f.hub.emit({ event: 'library.changed', payload: { reason: 'folders' } })
    await vi.waitFor(() => expect(changed).toHaveLength(2))
    off()
    f.hub.emit({ event: 'library.changed', payload: { reason: 'removed' } })
    await new Promise((r) => setTimeout(r, 100))
    expect(changed).toHaveLength(2)
    client.close()
  })

  it('stops retrying and says unauthorized when the handshake lacks the session', async () => {
    let attempts = 0
    const connect = socketTo(f.server.port, false)
    const client = createEventClient({
      connect: () => (attempts++, connect()),
      unauthorized: async () => !(await createHttpApi(browserFetch(false), base())['settings.get']({})).ok,
      backoff: { initialMs: 20, maxMs: 50 },
    })
    const states: ConnectionState[] = []
    client.state.subscribe((s) => states.push(s))
    await until(states, 'unauthorized')
    await new Promise((r) => setTimeout(r, 200))
    expect(attempts).toBe(1)
    client.close()
  })
})

describe('in the Electron shell', () => {
  it('uses the preload: window.api, constella-media URLs and the event bridge', async () => {
    const listeners = new Set<(m: unknown) => void>()
    const api = { 'app.info': async () => ({ ok: true, value: { version: 'x' } }) }
    vi.stubGlobal('window', { api, constellaEvents: { subscribe: (h: (m: unknown) => void) => (listeners.add(h), () => listeners.delete(h)) } })
    vi.resetModules()
    try {
      const electron = await import('../../src/renderer/lib/api.js')
      expect(electron.appMode).toBe('electron')
      expect(electron.api).toBe(api)
      expect(electron.mediaUrl('thumb', 7)).toBe('constella-media://thumb/7')
      expect(await electron.call('app.info', {})).toEqual({ version: 'x' })
      const got: unknown[] = []
      const off = electron.onEvent('settings.changed', (p) => got.push(p))
      expect(listeners.size).toBe(1)
      for (const h of listeners) h({ event: 'settings.changed', payload: { detectionThreshold: 0.3 } })
      expect(got).toEqual([{ detectionThreshold: 0.3 }])
      off()
      expect(electron.connectionState.current).toBe('connected')
    } finally {
      vi.unstubAllGlobals()
      vi.resetModules()
    }
    expect(connectionState.current).toBe('connecting')
  })
})
