import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Api } from '../../../src/main/api/handlers.js'
import { MAX_BODY_BYTES, UPLOAD_MAX_BODY_BYTES } from '../../../src/main/http/api-route.js'
import { startHttpServer, type RunningHttpServer } from '../../../src/main/http/server.js'
import { ok } from '../../../src/shared/envelope.js'
import { send, startHttpFixture, type HttpFixture } from './http-fixture.js'

const json = { 'Content-Type': 'application/json' }

describe('POST /api/<channel> over the real dispatcher', () => {
  let f: HttpFixture
  let port: number
  let h: Record<string, string>
  beforeAll(async () => {
    f = await startHttpFixture()
    port = f.server.port
    h = { ...json, ...f.auth }
  })
  afterAll(() => f.remove())

  it('answers with the dispatcher envelope', async () => {
    const info = await send(port, 'POST', '/api/app.info', h, '{}')
    expect(info.status).toBe(200)
    expect(info.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(info.headers['cache-control']).toBe('no-store')
    expect(JSON.parse(info.text)).toEqual({ ok: true, value: { version: '1.0.0', platform: process.platform, packDir: f.packDir } })
    const models = JSON.parse((await send(port, 'POST', '/api/models.list', h, '')).text)
    expect(models.value.map((m: { status: string }) => m.status)).toEqual(['ok', 'mismatch', 'missing'])
  })

  it('maps error envelopes to HTTP statuses', async () => {
    const bad = await send(port, 'POST', '/api/app.info', h, '{"x":1}')
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.text).error.code).toBe('bad-request')
    const notJson = await send(port, 'POST', '/api/app.info', h, '{nope')
    expect(notJson.status).toBe(400)
    expect(JSON.parse(notJson.text)).toEqual({ ok: false, error: { code: 'bad-request', message: 'request body is not valid JSON' } })
    const unknown = await send(port, 'POST', '/api/nope', h, '{}')
    expect(unknown.status).toBe(404)
    expect(JSON.parse(unknown.text).error.code).toBe('unknown-channel')
  })

  it('refuses API calls that are not same-origin JSON POSTs', async () => {
    expect((await send(port, 'GET', '/api/app.info', f.auth)).status).toBe(405)
    expect((await send(port, 'POST', '/api/app.info', { ...f.auth, 'Content-Type': 'text/plain' }, '{}')).status).toBe(415)
    const crossOrigin = await send(port, 'POST', '/api/app.info', { ...h, Origin: 'https://evil.example' }, '{}')
    expect(crossOrigin.status).toBe(403)
    expect(JSON.parse(crossOrigin.text).error.code).toBe('forbidden')
    expect((await send(port, 'POST', '/api/app.info', { ...h, Origin: `http://localhost:${port}` }, '{}')).status).toBe(403)
    expect((await send(port, 'POST', '/api/app.info', { ...h, 'Sec-Fetch-Site': 'cross-site' }, '{}')).status).toBe(403)
    const same = await send(port, 'POST', '/api/app.info', { ...h, Origin: `http://127.0.0.1:${port}`, 'Sec-Fetch-Site': 'same-origin' }, '{}')
    expect(same.status).toBe(200)
  })
})

describe('API body limits', () => {
  // An echo dispatcher: what arrives past the limit, and how big it was.
  const echo: Api = {
    dispatch: async (channel, req) => ok({ channel, chars: JSON.stringify(req).length }),
    call: async () => ok(null) as never,
  }
  let server: RunningHttpServer
  let h: Record<string, string>
  beforeAll(async () => {
    server = await startHttpServer({ api: echo, rendererDir: '/nonexistent' })
    h = { ...json, Authorization: `Bearer ${server.token}` }
  })
  afterAll(() => server.close())

  const body = (chars: number): string => JSON.stringify({ name: 'p.jpg', data: 'A'.repeat(chars) })

  it('takes 1 MB on ordinary channels and ~28 MB on uploads.add', async () => {
    expect(MAX_BODY_BYTES).toBe(1024 * 1024)
    const small = await send(server.port, 'POST', '/api/search.run', h, body(MAX_BODY_BYTES - 100))
    expect(small.status).toBe(200)
    expect((await send(server.port, 'POST', '/api/search.run', h, body(MAX_BODY_BYTES + 10))).status).toBe(413)
    const upload = await send(server.port, 'POST', '/api/uploads.add', h, body(27_000_000))
    expect(upload.status).toBe(200)
    expect(JSON.parse(upload.text).value).toEqual({ channel: 'uploads.add', chars: 27_000_000 + 26 })
    const huge = await send(server.port, 'POST', '/api/uploads.add', h, body(UPLOAD_MAX_BODY_BYTES))
    expect(huge.status).toBe(413)
    expect(JSON.parse(huge.text).error.message).toContain(`larger than ${UPLOAD_MAX_BODY_BYTES} bytes`)
  })

  it('cuts a chunked body off at the limit', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const headers = { ...h, Host: `127.0.0.1:${server.port}`, 'Transfer-Encoding': 'chunked' }
      const req = request({ host: '127.0.0.1', port: server.port, method: 'POST', path: '/api/app.info', headers }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', reject)
      for (let i = 0; i < 20; i++) req.write('x'.repeat(64 * 1024))
      req.end()
    })
    expect(status).toBe(413)
  })
})
