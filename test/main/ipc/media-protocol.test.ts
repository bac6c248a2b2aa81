// The constella-media: protocol by photo id (src/main/ipc/media-url.ts, the Electron-free half of
// src/main/protocol.ts), over the same media source as the HTTP tests: a real coco-dev photo.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { mediaProtocolResponse, parseMediaUrl } from '../../../src/main/ipc/media-url.js'
import { PHOTO_FILE, photoMedia } from '../http/http-fixture.js'

const request = (url: string, headers: Record<string, string> = {}, method = 'GET'): Request => new Request(url, { method, headers })

describe('parseMediaUrl', () => {
  it('reads constella-media://<thumb|photo>/<id>, with the photo version of ?v= when given', () => {
    expect(parseMediaUrl('constella-media://thumb/7')).toEqual({ kind: 'thumb', photoId: 7, version: null })
    expect(parseMediaUrl('constella-media://photo/123456')).toEqual({ kind: 'photo', photoId: 123456, version: null })
    expect(parseMediaUrl('CONSTELLA-MEDIA://THUMB/7')).toEqual({ kind: 'thumb', photoId: 7, version: null })
    expect(parseMediaUrl('constella-media://thumb/7?v=0123456789abcdef')).toEqual({ kind: 'thumb', photoId: 7, version: '0123456789abcdef' })
  })

  it('refuses paths, other hosts and schemes, bad ids and anything extra', () => {
    for (const url of [
      'constella-media://library/home/ana/Pictures/a.jpg',
      'constella-media://photo/../../etc/passwd',
      'constella-media://photo/%2e%2e/%2e%2e/etc/passwd',
      'constella-media://photo//etc/passwd',
      'constella-media://photo/7/x',
      'constella-media://photo/0',
      'constella-media://photo/07',
      'constella-media://photo/-7',
      'constella-media://photo/7.5',
      'constella-media://photo/%37',
      'constella-media://photo/99999999999999999999',
      'constella-media://photo',
      'constella-media://video/7',
      'constella-media://user:pw@photo/7',
      'constella-media://photo:8080/7',
      'file:///etc/passwd',
      'http://127.0.0.1/media/photo/7',
      'nonsense',
      '',
    ]) {
      expect(parseMediaUrl(url), url).toBeNull()
    }
  })
})

describe('mediaProtocolResponse', () => {
  it('serves the photo file and the thumbnail bytes by id, with ETag and 304', async () => {
    const media = await photoMedia()
    const photo = await mediaProtocolResponse(media, request('constella-media://photo/1'))
    expect(photo.status).toBe(200)
    expect(Buffer.from(await photo.arrayBuffer()).equals(readFileSync(PHOTO_FILE))).toBe(true)
    expect(photo.headers.get('etag')).toBe('"photo-1-v1"')
    const thumb = await mediaProtocolResponse(media, request('constella-media://thumb/1'))
    expect(thumb.headers.get('content-type')).toBe('image/jpeg')
    // The file:// renderer fetches grid thumbnails: a CORS read.
    expect(thumb.headers.get('access-control-allow-origin')).toBe('*')
    expect((await thumb.arrayBuffer()).byteLength).toBeGreaterThan(1000)
    const again = await mediaProtocolResponse(media, request('constella-media://thumb/1', { 'If-None-Match': '"thumb-1-v1"' }))
    expect(again.status).toBe(304)
    expect(media.asked).toEqual([['photo', 1], ['thumb', 1], ['thumb', 1]])
  })

  it('answers 404 without asking the service for anything but an id, and 405 for other methods', async () => {
    const media = await photoMedia()
    expect((await mediaProtocolResponse(media, request('constella-media://photo/2'))).status).toBe(404)
    expect((await mediaProtocolResponse(media, request('constella-media://library/etc/passwd'))).status).toBe(404)
    expect((await mediaProtocolResponse(media, request('constella-media://photo/1', {}, 'POST'))).status).toBe(405)
    expect(media.asked).toEqual([['photo', 2]])
  })

  it('answers 500 without details when the service fails, and reports the error', async () => {
    const errors: unknown[] = []
    const broken = { resolve: async () => Promise.reject(new Error('disk on fire')) }
    const reply = await mediaProtocolResponse(broken, request('constella-media://photo/1'), (err) => errors.push(err))
    expect(reply.status).toBe(500)
    expect(await reply.text()).not.toContain('disk on fire')
    expect(errors).toHaveLength(1)
  })
})
