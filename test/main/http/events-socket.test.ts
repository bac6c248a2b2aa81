import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { sessionCookieName } from '../../../src/main/http/session.js'
import { HTTP_EVENTS_PATH, type ApiEventMessage } from '../../../src/shared/api-contract.js'
import { startHttpFixture, type HttpFixture } from './http-fixture.js'

/** Opens a socket; resolves with it once open, or with the HTTP status that refused the handshake. */
function connect(port: number, headers: Record<string, string>, urlPath = HTTP_EVENTS_PATH): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${urlPath}`, { headers })
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0)
      res.resume()
    })
    ws.once('error', (err) => reject(err))
  })
}

const nextMessage = (ws: WebSocket): Promise<unknown> =>
  new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)))))

const job: ApiEventMessage = {
  event: 'library.changed',
  payload: { reason: 'indexed', photoIds: [1, 2] },
}

describe('events WebSocket', () => {
  let f: HttpFixture
  let port: number
  let cookie: string
  beforeAll(async () => {
    f = await startHttpFixture()
    port = f.server.port
    cookie = `${sessionCookieName(port)}=${f.server.token}`
  })
  afterAll(() => f.remove())

  it('refuses a handshake without the token (401), from another origin (403), host (421) or path (404)', async () => {
    const origin = `http://127.0.0.1:${port}`
    expect(await connect(port, { Origin: origin })).toBe(401)
    expect(await connect(port, { Origin: origin, Cookie: `${sessionCookieName(port)}=wrong` })).toBe(401)
    expect(await connect(port, { Origin: origin, Authorization: 'Bearer wrong' })).toBe(401)
    expect(await connect(port, { Origin: 'https://evil.example', Cookie: cookie })).toBe(403)
    expect(await connect(port, { Origin: origin, Cookie: cookie, Host: `evil.example:${port}` })).toBe(421)
    expect(await connect(port, { Origin: origin, Cookie: cookie }, '/api/app.info')).toBe(404)
    expect(await connect(port, { Origin: origin, Cookie: cookie }, '/events/x')).toBe(404)
  })

  it('pushes every event to every open socket (cookie or Bearer)', async () => {
    const a = await connect(port, { Origin: `http://127.0.0.1:${port}`, Cookie: cookie })
    const b = await connect(port, f.auth)
    if (typeof a === 'number' || typeof b === 'number') throw new Error(`handshake refused: ${a} ${b}`)
    const got = Promise.all([nextMessage(a), nextMessage(b)])
    f.hub.emit(job)
    expect(await got).toEqual([job, job])
    const progress: ApiEventMessage = { event: 'settings.changed', payload: { detectionThreshold: 0.4 } as never }
    const second = nextMessage(a)
    a.send('clients may not talk back; this is ignored')
    f.hub.emit(progress)
    expect(await second).toEqual(progress)
    a.close()
    b.close()
  })

  it('closes its sockets (1001) and leaves the event source when the server stops', async () => {
    const other = await startHttpFixture()
    expect(other.hub.listeners).toBe(1)
    const ws = await connect(other.server.port, other.auth)
    if (typeof ws === 'number') throw new Error(`handshake refused: ${ws}`)
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))
    await other.remove()
    expect(await closed).toBe(1001)
    expect(other.hub.listeners).toBe(0)
  })
})
