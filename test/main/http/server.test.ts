import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApi } from '../../../src/main/api/handlers.js'
import { createServices } from '../../../src/main/api/services.js'
import { CONTENT_SECURITY_POLICY } from '../../../src/main/http/security-headers.js'
import { startHttpServer, type RunningHttpServer } from '../../../src/main/http/server.js'
import { createPackFixture } from '../api/pack-fixture.js'

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A raw HTTP request (node:http, so Host and Origin can be set freely). */
function send(port: number, method: string, urlPath: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path: urlPath, headers: { Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

const json = { 'Content-Type': 'application/json' }

describe('HTTP server', () => {
  const pack = createPackFixture()
  const rendererDir = mkdtempSync(path.join(tmpdir(), 'constella-renderer-'))
  let server: RunningHttpServer

  beforeAll(async () => {
    mkdirSync(path.join(rendererDir, 'assets'))
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Constella</title>')
    writeFileSync(path.join(rendererDir, 'assets', 'index-abc.js'), 'console.log(1)')
    writeFileSync(path.join(rendererDir, '.secret'), 'no')
    server = await startHttpServer({ api: createApi(createServices({ packDir: pack.dir, version: '1.0.0' })), rendererDir, port: 0 })
  })
  afterAll(async () => {
    await server.close()
    pack.remove()
    rmSync(rendererDir, { recursive: true, force: true })
  })

  it('listens on 127.0.0.1 on an ephemeral port', () => {
    expect(server.port).toBeGreaterThan(0)
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`)
  })

  it('serves index.html with a strict CSP and security headers', async () => {
    const reply = await send(server.port, 'GET', '/')
    expect(reply.status).toBe(200)
    expect(reply.body).toContain('<title>Constella</title>')
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(reply.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY)
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'")
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'")
    expect(reply.headers['x-content-type-options']).toBe('nosniff')
    expect(reply.headers['cache-control']).toBe('no-cache')
  })

  it('serves hashed assets as immutable and HEAD without a body', async () => {
    const reply = await send(server.port, 'GET', '/assets/index-abc.js')
    expect(reply).toMatchObject({ status: 200, body: 'console.log(1)' })
    expect(reply.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(reply.headers['cache-control']).toContain('immutable')
    const head = await send(server.port, 'HEAD', '/assets/index-abc.js')
    expect(head).toMatchObject({ status: 200, body: '' })
  })

  it.each(['/../package.json', '/..%2f..%2fpackage.json', '/assets/..%2f..%2fmanifest.json', '/.secret', '/%00', '/assets/', '/missing.js', '/a%5c..%5cindex.html'])(
    'refuses %s with 404',
    async (urlPath) => {
      expect((await send(server.port, 'GET', urlPath)).status).toBe(404)
    },
  )

  it.each(['evil.example:80', `evil.example:${0}`, 'localhost:1', '127.0.0.1', '10.0.0.1', 'user@127.0.0.1'])('refuses the Host header %s', async (host) => {
    const reply = await send(server.port, 'GET', '/', { Host: host.replace(':0', `:${server.port}`) })
    expect(reply.status).toBe(421)
  })

  it('accepts localhost and [::1] names on its port', async () => {
    for (const host of [`localhost:${server.port}`, `[::1]:${server.port}`, `LOCALHOST:${server.port}`]) {
      expect((await send(server.port, 'GET', '/', { Host: host })).status).toBe(200)
    }
  })

  it('answers POST /api/<channel> with the dispatcher envelope', async () => {
    const info = await send(server.port, 'POST', '/api/app.info', json, '{}')
    expect(info.status).toBe(200)
    expect(info.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(JSON.parse(info.body)).toEqual({ ok: true, value: { version: '1.0.0', platform: process.platform, packDir: pack.dir } })
    const models = JSON.parse((await send(server.port, 'POST', '/api/models.list', json, '')).body)
    expect(models.ok).toBe(true)
    expect(models.value.map((m: { status: string }) => m.status)).toEqual(['ok', 'mismatch', 'missing'])
  })

  it('maps error envelopes to HTTP statuses', async () => {
    const bad = await send(server.port, 'POST', '/api/app.info', json, '{"x":1}')
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.body).error.code).toBe('bad-request')
    const notJson = await send(server.port, 'POST', '/api/app.info', json, '{nope')
    expect(notJson.status).toBe(400)
    expect(JSON.parse(notJson.body)).toEqual({ ok: false, error: { code: 'bad-request', message: 'request body is not valid JSON' } })
    const unknown = await send(server.port, 'POST', '/api/nope', json, '{}')
    expect(unknown.status).toBe(404)
    expect(JSON.parse(unknown.body).error.code).toBe('unknown-channel')
    const big = await send(server.port, 'POST', '/api/app.info', json, `{"a":"${'x'.repeat(1024 * 1024 + 10)}"}`)
    expect(big.status).toBe(413)
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, method: 'POST', path: '/api/app.info', headers: { ...json, Host: `127.0.0.1:${server.port}`, 'Transfer-Encoding': 'chunked' } }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', reject)
      for (let i = 0; i < 20; i++) req.write('x'.repeat(64 * 1024))
      req.end()
    })
    expect(chunked).toBe(413)
  })

  it('refuses API calls that are not same-origin JSON POSTs', async () => {
    expect((await send(server.port, 'GET', '/api/app.info')).status).toBe(405)
    const form = await send(server.port, 'POST', '/api/app.info', { 'Content-Type': 'text/plain' }, '{}')
    expect(form.status).toBe(415)
    const crossOrigin = await send(server.port, 'POST', '/api/app.info', { ...json, Origin: 'https://evil.example' }, '{}')
    expect(crossOrigin.status).toBe(403)
    expect(JSON.parse(crossOrigin.body).error.code).toBe('forbidden')
    const crossSite = await send(server.port, 'POST', '/api/app.info', { ...json, 'Sec-Fetch-Site': 'cross-site' }, '{}')
    expect(crossSite.status).toBe(403)
    const sameOrigin = await send(server.port, 'POST', '/api/app.info', { ...json, Origin: `http://127.0.0.1:${server.port}`, 'Sec-Fetch-Site': 'same-origin' }, '{}')
    expect(sameOrigin.status).toBe(200)
  })

  it('says how to build the renderer when it is missing', async () => {
    const empty = await startHttpServer({ api: createApi(createServices({ packDir: pack.dir })), rendererDir: path.join(rendererDir, 'nope') })
    try {
      const reply = await send(empty.port, 'GET', '/')
      expect(reply.status).toBe(503)
      expect(reply.body).toContain('npm run build')
    } finally {
      await empty.close()
    }
  })
})
