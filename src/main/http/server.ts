/**
 * The local HTTP transport: a plain node:http server on 127.0.0.1 that serves the built renderer
 * and answers `POST /api/<channel>` with the same dispatcher and envelopes as Electron IPC, so the
 * renderer also runs in any browser on the machine.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import type { ApiErrorCode, Envelope } from '../../shared/envelope.js'
import { fail } from '../../shared/envelope.js'
import type { Api } from '../api/handlers.js'
import { apiRequestRefusal, isLoopbackHost } from './request-guards.js'
import { SECURITY_HEADERS } from './security-headers.js'
import { serveStaticFile } from './static-files.js'

/** The address the server binds to; it is never exposed beyond this machine. */
export const LOOPBACK_HOST = '127.0.0.1'

/** Largest accepted API request body. */
export const MAX_BODY_BYTES = 1024 * 1024

/** Options of {@link startHttpServer}. */
export interface HttpServerOptions {
  api: Api
  /** Folder of the built renderer (index.html + assets/), normally out/renderer. */
  rendererDir: string
  /** Port; 0 (the default) picks a free one. */
  port?: number
}

/** A running server. */
export interface RunningHttpServer {
  /** Base URL, e.g. http://127.0.0.1:5190/ */
  url: string
  port: number
  server: Server
  close(): Promise<void>
}

const STATUS_OF: Record<ApiErrorCode, number> = {
  'bad-request': 400,
  forbidden: 403,
  'unknown-channel': 404,
  'pack-unavailable': 503,
  internal: 500,
}

function sendText(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra })
  res.end(text)
}

function sendEnvelope(res: ServerResponse, envelope: Envelope<unknown>, status?: number): void {
  status ??= envelope.ok ? 200 : STATUS_OF[envelope.error.code]
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' })
  res.end(JSON.stringify(envelope))
}

/** Reads a JSON body up to {@link MAX_BODY_BYTES}; an empty body reads as `{}`. */
async function readJsonBody(req: IncomingMessage): Promise<{ value: unknown } | { error: string; status: number }> {
  const tooLarge = { error: `request body larger than ${MAX_BODY_BYTES} bytes`, status: 413 }
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return tooLarge
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) return tooLarge
    chunks.push(chunk)
  }
  const text = Buffer.concat(chunks).toString('utf8').trim()
  if (text === '') return { value: {} }
  try {
    return { value: JSON.parse(text) as unknown }
  } catch {
    return { error: 'request body is not valid JSON', status: 400 }
  }
}

async function handleApi(api: Api, channel: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') return sendText(res, 405, 'API channels accept POST only', { Allow: 'POST' })
  const refusal = apiRequestRefusal({
    host: req.headers.host,
    origin: req.headers.origin,
    'content-type': req.headers['content-type'],
    'sec-fetch-site': req.headers['sec-fetch-site']?.toString(),
  })
  if (refusal) {
    res.setHeader('Connection', 'close')
    return sendEnvelope(res, fail(refusal.status === 403 ? 'forbidden' : 'bad-request', refusal.message), refusal.status)
  }
  const body = await readJsonBody(req)
  if ('error' in body) {
    res.setHeader('Connection', 'close')
    return sendEnvelope(res, fail('bad-request', body.error), body.status)
  }
  sendEnvelope(res, await api.dispatch(channel, body.value))
}

async function handle(options: HttpServerOptions, port: () => number, req: IncomingMessage, res: ServerResponse): Promise<void> {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value)
  if (!isLoopbackHost(req.headers.host, port())) {
    return sendText(res, 421, 'this server only answers to 127.0.0.1, localhost or [::1] on its own port')
  }
  const { pathname } = new URL(req.url ?? '/', 'http://127.0.0.1')
  if (pathname.startsWith('/api/')) return handleApi(options.api, pathname.slice('/api/'.length), req, res)
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'method not allowed', { Allow: 'GET, HEAD' })
  if (await serveStaticFile(options.rendererDir, pathname, req, res)) return
  if (pathname === '/') {
    const hint = `the renderer is not built (no ${path.join(options.rendererDir, 'index.html')}); run: npm run build`
    return sendText(res, 503, hint)
  }
  sendText(res, 404, 'not found')
}

/** Starts the server on 127.0.0.1 and resolves once it is listening. */
export function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  let boundPort = 0
  const server = createServer((req, res) => {
    handle(options, () => boundPort, req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.destroy()
      sendText(res, 500, `internal error: ${err instanceof Error ? err.message : String(err)}`)
    })
  })
  server.headersTimeout = 10_000
  server.requestTimeout = 30_000
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, LOOPBACK_HOST, () => {
      server.off('error', reject)
      boundPort = (server.address() as AddressInfo).port
      resolve({
        url: `http://${LOOPBACK_HOST}:${boundPort}/`,
        port: boundPort,
        server,
        close: () =>
          new Promise<void>((done, failed) => {
            server.close((err) => (err ? failed(err) : done()))
            server.closeAllConnections()
          }),
      })
    })
  })
}
