/**
 * A running browser-mode server for transport tests: the real dispatcher over a pack fixture, a
 * real coco-dev photo and its sharp thumbnail as media, a built-renderer stand-in, and a small
 * event source the test can emit on. Plus raw clients (node:http, net.Socket) that set any header.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { createApi } from '../../../src/main/api/handlers.js'
import { packModels, type ApiServices } from '../../../src/main/api/services.js'
import type { EventSource } from '../../../src/main/http/events-socket.js'
import type { MediaSource } from '../../../src/main/http/media-response.js'
import { startHttpServer, type RunningHttpServer } from '../../../src/main/http/server.js'
import type { ApiEventMessage } from '../../../src/shared/api-contract.js'
import { COCO_DEV_DIR } from '../../support/coco-images.js'
import { createPackFixture } from '../api/pack-fixture.js'

/** A coco-dev photo served as photo 1. */
/** The content hash the stand-in media service gives photo 1's thumbnail. */
export const THUMB_VERSION = '0123456789abcdef0123456789abcdef'

export const PHOTO_FILE = path.join(COCO_DEV_DIR, 'images', '000000000139.jpg')

/** An event source the test drives. */
export function eventHub(): EventSource & { emit(m: ApiEventMessage): void; listeners: number } {
  const listeners = new Set<(m: ApiEventMessage) => void>()
  return {
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    emit: (m) => listeners.forEach((l) => l(m)),
    get listeners() {
      return listeners.size
    },
  }
}

/** Media for ids 1 (the photo file, and its thumbnail as bytes); every other id is unknown. */
export async function photoMedia(): Promise<MediaSource & { asked: [string, number][] }> {
  const thumb = await sharp(PHOTO_FILE).resize(320, 320, { fit: 'inside' }).jpeg().toBuffer()
  const asked: [string, number][] = []
  return {
    asked,
    async resolve(kind, photoId) {
      asked.push([kind, photoId])
      if (photoId !== 1) return null
      return kind === 'photo' ? { file: PHOTO_FILE, contentType: 'image/jpeg', etag: 'photo-1-v1' } : { body: thumb, contentType: 'image/jpeg', etag: 'thumb-1-v1', version: THUMB_VERSION }
    },
  }
}

/**
 * The services of these transport tests: app.info and models.list over the pack fixture, the
 * events and media above. Every other service is absent (those channels answer `internal`).
 */
export function transportServices(packDir: string, events: EventSource, media: MediaSource): ApiServices {
  const app = { info: async () => ({ version: '1.0.0', platform: process.platform, packDir }) }
  return { app, models: { packDir, check: () => packModels(packDir) }, events, media } as unknown as ApiServices
}

/** A server on a free port with everything above; `remove()` stops `server` and deletes the folders. */
export interface HttpFixture {
  server: RunningHttpServer
  hub: ReturnType<typeof eventHub>
  media: Awaited<ReturnType<typeof photoMedia>>
  packDir: string
  rendererDir: string
  /** Headers that carry the session (Bearer). */
  auth: Record<string, string>
  remove(): Promise<void>
}

/** Starts the fixture server. */
export async function startHttpFixture(): Promise<HttpFixture> {
  const pack = createPackFixture()
  const rendererDir = mkdtempSync(path.join(tmpdir(), 'constella-renderer-'))
  mkdirSync(path.join(rendererDir, 'assets'))
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Constella</title>')
  writeFileSync(path.join(rendererDir, 'assets', 'index-abc.js'), 'console.log(1)')
  writeFileSync(path.join(rendererDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
  writeFileSync(path.join(rendererDir, '.secret'), 'no')
  const hub = eventHub()
  const media = await photoMedia()
  const api = createApi(transportServices(pack.dir, hub, media))
  const server = await startHttpServer({ api, media, events: hub, rendererDir, port: 0 })
  const fixture: HttpFixture = {
    server,
    hub,
    media,
    packDir: pack.dir,
    rendererDir,
    auth: { Authorization: `Bearer ${server.token}` },
    async remove() {
      // the server a test may have replaced (restart tests)
      await fixture.server.close()
      pack.remove()
      rmSync(rendererDir, { recursive: true, force: true })
    },
  }
  return fixture
}

/** A reply read in full. */
export interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
  text: string
}

/** A request through node:http (Host defaults to 127.0.0.1:<port>; any header may be set). */
export function send(port: number, method: string, urlPath: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path: urlPath, headers: { Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const all = Buffer.concat(chunks)
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: all, text: all.toString('utf8') })
      })
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** Writes raw bytes on a TCP socket and resolves with everything the server answers before it closes. */
export function rawExchange(port: number, data: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    const timer = setTimeout(() => {
      socket.destroy()
      resolve(Buffer.concat(chunks).toString('latin1'))
    }, timeoutMs)
    socket.on('data', (c: Buffer) => chunks.push(c))
    socket.on('error', reject)
    socket.on('close', () => {
      clearTimeout(timer)
      resolve(Buffer.concat(chunks).toString('latin1'))
    })
    socket.write(data)
  })
}

/** The status code of the first response line of a raw answer (0 when there is none). */
export function rawStatus(answer: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0)
}
