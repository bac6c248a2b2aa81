import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BROWSER_CONTENT_SECURITY_POLICY } from '../../../src/main/http/security-headers.js'
import { isValidRequestTarget, startHttpServer } from '../../../src/main/http/server.js'
import { rawExchange, rawStatus, send, startHttpFixture, type HttpFixture } from './http-fixture.js'

describe('HTTP server', () => {
  let f: HttpFixture
  let port: number
  beforeAll(async () => {
    f = await startHttpFixture()
    port = f.server.port
  })
  afterAll(() => f.remove())

  it('listens on 127.0.0.1 on an ephemeral port with a fresh 256-bit token', () => {
    expect(port).toBeGreaterThan(0)
    expect(f.server.url).toBe(`http://127.0.0.1:${port}/`)
    expect(f.server.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(f.server.loginUrl).toBe(`http://127.0.0.1:${port}/?token=${f.server.token}`)
    expect(f.server.server.address()).toMatchObject({ address: '127.0.0.1' })
  })

  it('serves index.html (with a session) under a strict CSP and security headers', async () => {
    const reply = await send(port, 'GET', '/', f.auth)
    expect(reply.status).toBe(200)
    expect(reply.text).toContain('<title>Constella</title>')
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(reply.headers['content-security-policy']).toBe(BROWSER_CONTENT_SECURITY_POLICY)
    expect(BROWSER_CONTENT_SECURITY_POLICY).toContain("img-src 'self' data:;")
    expect(BROWSER_CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'")
    expect(reply.headers['x-content-type-options']).toBe('nosniff')
    expect(reply.headers['x-frame-options']).toBe('DENY')
    expect(reply.headers['cache-control']).toBe('no-cache')
  })

  it('serves hashed assets without a session, as immutable, and HEAD without a body', async () => {
    const reply = await send(port, 'GET', '/assets/index-abc.js')
    expect(reply).toMatchObject({ status: 200, text: 'console.log(1)' })
    expect(reply.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(reply.headers['cache-control']).toContain('immutable')
    expect(await send(port, 'HEAD', '/assets/index-abc.js')).toMatchObject({ status: 200, text: '' })
    expect((await send(port, 'POST', '/assets/index-abc.js')).status).toBe(405)
  })

  it('serves other renderer files to be kept a day', async () => {
    const reply = await send(port, 'GET', '/favicon.svg', f.auth)
    expect(reply.status).toBe(200)
    expect(reply.headers['content-type']).toBe('image/svg+xml')
    expect(reply.headers['cache-control']).toBe('public, max-age=86400')
  })

  it.each(['/../package.json', '/..%2f..%2fpackage.json', '/assets/..%2f..%2fmanifest.json', '/.secret', '/assets/', '/missing.js', '/a%5c..%5cindex.html'])(
    'refuses %s with 404',
    async (urlPath) => {
      expect((await send(port, 'GET', urlPath, f.auth)).status).toBe(404)
    },
  )

  it.each(['evil.example:80', 'evil.example:PORT', 'localhost:1', '127.0.0.1', '10.0.0.1', 'user@127.0.0.1:PORT', '127.0.0.1:PORT/x'])(
    'refuses the Host header %s with 421, API and media included',
    async (host) => {
      const Host = host.replace('PORT', String(port))
      for (const [method, p] of [['GET', '/'], ['POST', '/api/app.info'], ['GET', '/media/thumb/1']]) {
        expect((await send(port, method, p, { ...f.auth, Host })).status).toBe(421)
      }
    },
  )

  it('accepts localhost and [::1] names on its port', async () => {
    for (const host of [`localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
      expect((await send(port, 'GET', '/', { ...f.auth, Host: host })).status).toBe(200)
    }
  })

  it('answers malformed request lines with 400, never 500 (raw socket)', async () => {
    const host = `Host: 127.0.0.1:${port}\r\n`
    const cases = [
      `GET /%%% HTTP/1.1\r\n${host}\r\n`,
      `GET /media/photo/%zz HTTP/1.1\r\n${host}\r\n`,
      `POST /api/%E0%A4%A HTTP/1.1\r\n${host}Content-Length: 0\r\n\r\n`,
      `GET * HTTP/1.1\r\n${host}\r\n`,
      `GET http://[::1 HTTP/1.1\r\n${host}\r\n`,
      `GET /a\\b HTTP/1.1\r\n${host}\r\n`,
      `FOO / HTTP/1.1\r\n${host}\r\n`,
      `GET / HTTP/9.9\r\n${host}\r\n`,
      `\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n`,
      `hello\r\n\r\n`,
      `GET /events HTTP/1.1\r\n${host}Upgrade: websocket\r\nConnection: Upgrade\r\n\r\n`.replace('/events', '/ev%%ents'),
    ]
    for (const request of cases) {
      const answer = await rawExchange(port, request)
      expect(rawStatus(answer), JSON.stringify(request)).toBe(400)
    }
    // the server is still fine afterwards
    expect((await send(port, 'GET', '/', f.auth)).status).toBe(200)
  })

  it('validates request targets', () => {
    expect(isValidRequestTarget('/')).toBe(true)
    expect(isValidRequestTarget('/media/thumb/7?x=%20')).toBe(true)
    for (const bad of [undefined, '', '*', 'http://127.0.0.1/', '/%%%', '/%E0%A4%A', '/a\\b', '/a b', '/a\x00'])
      expect(isValidRequestTarget(bad), String(bad)).toBe(false)
  })

  it('says how to build the renderer when it is missing', async () => {
    const empty = await startHttpServer({ api: { dispatch: async () => ({ ok: true, value: 1 }), call: async () => ({ ok: true, value: 1 }) as never }, rendererDir: '/nonexistent' })
    try {
      const reply = await send(empty.port, 'GET', '/', { Authorization: `Bearer ${empty.token}` })
      expect(reply.status).toBe(503)
      expect(reply.text).toContain('npm run build')
    } finally {
      await empty.close()
    }
  })

  it('reports a busy port as EADDRINUSE', async () => {
    const api = { dispatch: async () => ({ ok: true as const, value: 1 }), call: async () => ({ ok: true, value: 1 }) as never }
    await expect(startHttpServer({ api, rendererDir: f.rendererDir, port })).rejects.toMatchObject({ code: 'EADDRINUSE' })
  })
})
