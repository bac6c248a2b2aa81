/**
 * The browser-mode transport: a node:http server on 127.0.0.1 in front of the Hono app
 * (http-app.ts) and the events WebSocket (events-socket.ts). Before Hono sees a request, the
 * server refuses foreign Host headers (421) and malformed request targets (400); requests Node's
 * parser cannot read at all (bad method, garbage) also get 400, never 500.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { getRequestListener } from '@hono/node-server'
import { createEventsSocket, refuseUpgrade, upgradeRefusal, type EventSource } from './events-socket.js'
import { createHttpApp, type HttpAppOptions } from './http-app.js'
import { isLoopbackHost } from './request-guards.js'
import { SECURITY_HEADERS } from './security-headers.js'
import { createSessionToken } from './session.js'

/** The address the server binds to; it is never exposed beyond this machine. */
export const LOOPBACK_HOST = '127.0.0.1'

/** Options of {@link startHttpServer}. */
export interface HttpServerOptions extends Omit<HttpAppOptions, 'token' | 'port'> {
  /** Events pushed to every WebSocket client (services.events). */
  events?: EventSource
  /** Port; 0 (the default) picks a free one. */
  port?: number
  /** The session token; default: a fresh random one (tests may pass their own). */
  token?: string
}

/** A running server. */
export interface RunningHttpServer {
  /** Base URL without the token, e.g. http://127.0.0.1:5190/ */
  url: string
  /** The URL to open once: the base URL carrying the token (`/?token=…`). */
  loginUrl: string
  token: string
  port: number
  server: Server
  /** Closes the sockets and the server. */
  close(): Promise<void>
}

/**
 * True when a request target is a well-formed origin-form path (`/…`): no absolute-form or `*`,
 * no backslash, no control character or space, and valid percent-encoding.
 */
export function isValidRequestTarget(target: string | undefined): boolean {
  if (!target || target[0] !== '/' || target.includes('\\')) return false
  if (/[\x00-\x20\x7f]/.test(target)) return false
  try {
    decodeURIComponent(target)
  } catch {
    return false
  }
  return true
}

/** A bare HTTP response written on a raw socket (before or outside the HTTP layer). */
function rawResponse(status: number, reason: string, message: string): string {
  const body = Buffer.from(message, 'utf8')
  return `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\n\r\n${message}`
}

/** Starts the server on 127.0.0.1 and resolves once it is listening. */
export function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const token = options.token ?? createSessionToken()
  let boundPort = 0
  const app = createHttpApp({ ...options, token, port: () => boundPort })
  const listener = getRequestListener(app.fetch, { hostname: LOOPBACK_HOST })
  const events = createEventsSocket(options.events)
  const server = createServer((req, res) => {
    const plain = (status: number, message: string): void => {
      res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'close' })
      res.end(message)
    }
    if (!isLoopbackHost(req.headers.host, boundPort)) return plain(421, 'this server only answers to 127.0.0.1, localhost or [::1] on its own port')
    if (!isValidRequestTarget(req.url)) return plain(400, 'malformed request target')
    // the Hono adapter compares the Host it parsed with the header, case-sensitively
    req.headers.host = req.headers.host?.toLowerCase()
    void listener(req, res)
  })
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy()
    if (err.code === 'HPE_HEADER_OVERFLOW') return void socket.end(rawResponse(431, 'Request Header Fields Too Large', 'request headers too large'))
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return void socket.end(rawResponse(408, 'Request Timeout', 'request timeout'))
    socket.end(rawResponse(400, 'Bad Request', 'malformed request'))
  })
  server.on('upgrade', (req, socket, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    const refusal = isValidRequestTarget(req.url) ? upgradeRefusal(req, boundPort, token) : { status: 400, message: 'malformed request target' }
    if (refusal) return refuseUpgrade(socket, refusal.status, refusal.message)
    events.accept(req, socket, head)
  })
  server.headersTimeout = 10_000
  server.requestTimeout = 60_000
  return new Promise((resolve, reject) => {
    const failed = (err: Error): void => {
      events.close()
      reject(err)
    }
    server.once('error', failed)
    server.listen(options.port ?? 0, LOOPBACK_HOST, () => {
      server.off('error', failed)
      boundPort = (server.address() as AddressInfo).port
      const url = `http://${LOOPBACK_HOST}:${boundPort}/`
      resolve({
        url,
        loginUrl: `${url}?token=${token}`,
        token,
        port: boundPort,
        server,
        close: () =>
          new Promise<void>((done, failed) => {
            events.close()
            server.close((err) => (err ? failed(err) : done()))
            server.closeAllConnections()
          }),
      })
    })
  })
}
