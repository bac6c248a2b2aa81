import { readFileSync } from 'node:fs'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { etagMatches, parseMediaId } from '../../../src/main/http/media-response.js'
import { PHOTO_FILE, THUMB_VERSION, rawExchange, rawStatus, send, startHttpFixture, type HttpFixture } from './http-fixture.js'

describe('/media by photo id', () => {
  let f: HttpFixture
  let port: number
  beforeAll(async () => {
    f = await startHttpFixture()
    port = f.server.port
  })
  afterAll(() => f.remove())

  it('streams the photo file with its ETag, private caching and a length', async () => {
    const reply = await send(port, 'GET', '/media/photo/1', f.auth)
    expect(reply.status).toBe(200)
    expect(reply.body.equals(readFileSync(PHOTO_FILE))).toBe(true)
    expect(reply.headers).toMatchObject({ 'content-type': 'image/jpeg', etag: '"photo-1-v1"', 'cache-control': 'private, no-cache' })
    expect(Number(reply.headers['content-length'])).toBe(readFileSync(PHOTO_FILE).length)
    expect(reply.headers['x-content-type-options']).toBe('nosniff')
    const head = await send(port, 'HEAD', '/media/photo/1', f.auth)
    expect(head).toMatchObject({ status: 200, text: '' })
  })

  it('serves the thumbnail bytes the service made', async () => {
    const reply = await send(port, 'GET', '/media/thumb/1', f.auth)
    expect(reply.status).toBe(200)
    const meta = await sharp(reply.body).metadata()
    expect(meta.format).toBe('jpeg')
    expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBe(320)
  })

  it('lets the browser keep media asked for with the photo’s current version, and only then', async () => {
    const current = await send(port, 'GET', `/media/thumb/1?v=${THUMB_VERSION.slice(0, 16)}`, f.auth)
    expect(current.status).toBe(200)
    expect(current.headers['cache-control']).toBe('private, max-age=31536000, immutable')
    for (const query of ['', '?v=fedcba9876543210', '?v=0123', '?v=0123456789ABCDEF', '?v=']) {
      const reply = await send(port, 'GET', `/media/thumb/1${query}`, f.auth)
      expect(reply.status, query).toBe(200)
      expect(reply.headers['cache-control'], query).toBe('private, no-cache')
    }
  })

  it('answers 304 when the browser copy is current', async () => {
    for (const tag of ['"thumb-1-v1"', 'W/"thumb-1-v1"', '"other", "thumb-1-v1"', '*']) {
      const reply = await send(port, 'GET', '/media/thumb/1', { ...f.auth, 'If-None-Match': tag })
      expect(reply.status, tag).toBe(304)
      expect(reply.body.length).toBe(0)
      expect(reply.headers.etag).toBe('"thumb-1-v1"')
    }
    expect((await send(port, 'GET', '/media/thumb/1', { ...f.auth, 'If-None-Match': '"thumb-1-v0"' })).status).toBe(200)
  })

  it('is 404 for unknown ids, other kinds and anything that is not an id', async () => {
    f.media.asked.length = 0
    for (const p of ['/media/photo/2', '/media/thumb/999999', '/media/video/1', '/media/photo', '/media/photo/', '/media/photo/0', '/media/photo/01',
      '/media/photo/-1', '/media/photo/1.0', '/media/photo/1e3', '/media/photo/%31', '/media/photo/1/x', '/media/photo/99999999999999999999',
      '/media//photo/1', '/media/photo/1;x', '/media', '/media/', '/media/photo/abc', '/media/photo/%2e%2e/%2e%2e/etc/passwd']) {
      const reply = await send(port, 'GET', p, f.auth)
      expect(reply.status, p).toBe(404)
      expect(reply.text, p).not.toContain('root:')
    }
    // only well-formed ids reach the service
    expect(f.media.asked).toEqual([['photo', 2], ['thumb', 999999]])
  })

  it('never serves a path: /media/photo/../../etc/passwd (raw, not normalised by the client) is refused', async () => {
    const answer = await rawExchange(port, `GET /media/photo/../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${f.server.token}\r\nConnection: close\r\n\r\n`)
    expect(rawStatus(answer)).toBe(404)
    expect(answer).not.toContain('root:')
  })

  it('refuses other methods', async () => {
    expect((await send(port, 'POST', '/media/photo/1', f.auth)).status).toBe(405)
    expect((await send(port, 'DELETE', '/media/photo/1', f.auth)).status).toBe(405)
  })
})

describe('media helpers', () => {
  it('parses ids strictly', () => {
    expect(parseMediaId('7')).toBe(7)
    expect(parseMediaId('9007199254740991')).toBe(9007199254740991)
    for (const bad of ['', '0', '07', '-7', '+7', ' 7', '7 ', '7.0', '0x7', '9007199254740993', '12345678901234567']) expect(parseMediaId(bad), bad).toBeNull()
  })

  it('compares entity tags weakly', () => {
    expect(etagMatches('"a"', 'a')).toBe(true)
    expect(etagMatches('W/"a"', '"a"')).toBe(true)
    expect(etagMatches('"b", W/"a"', 'a')).toBe(true)
    expect(etagMatches('"ab"', 'a')).toBe(false)
    expect(etagMatches(undefined, 'a')).toBe(false)
  })
})
