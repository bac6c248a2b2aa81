/**
 * Pushed events in browser mode: a WebSocket at {@link HTTP_EVENTS_PATH} (`ws`, no server of its
 * own). The HTTP server hands over each `upgrade` after the same checks as an API call (loopback
 * Host, same Origin, session token); every accepted socket receives every event as JSON
 * `{ event, payload }`. Clients do not talk back: their messages are ignored.
 */
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocket, WebSocketServer } from 'ws'
import { HTTP_EVENTS_PATH, type ApiEventMessage } from '../../shared/api-contract.js'
import { isLoopbackHost, isSameOriginOrAbsent } from './request-guards.js'
import { hasValidSession } from './session.js'

/** The part of the events service the transport uses (services.events). */
export interface EventSource {
  subscribe(listener: (message: ApiEventMessage) => void): () => void
}

/** A client that lets this much outgoing data pile up is dropped (it reconnects and refetches). */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024
/** Ping period; a socket that missed a whole period's pong is closed. */
const HEARTBEAT_MS = 30_000

/** Why an upgrade request is refused (status + text), or null when it may become a socket. */
export function upgradeRefusal(req: IncomingMessage, port: number, token: string): { status: number; message: string } | null {
  const { host, origin, cookie, authorization } = req.headers
  if (!isLoopbackHost(host, port)) return { status: 421, message: 'this server only answers to 127.0.0.1, localhost or [::1] on its own port' }
  const target = req.url ?? ''
  if (target.split('?')[0] !== HTTP_EVENTS_PATH) return { status: 404, message: 'no WebSocket here' }
  if (!isSameOriginOrAbsent(origin, host)) return { status: 403, message: `WebSocket from ${origin} refused` }
  if (!hasValidSession({ cookie, authorization }, port, token)) return { status: 401, message: 'no valid session token: open the link printed by constella serve' }
  return null
}

const REASONS: Readonly<Record<number, string>> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 421: 'Misdirected Request' }

/** Writes a plain HTTP refusal on a socket that asked to upgrade, then closes it. */
export function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  const body = Buffer.from(message, 'utf8')
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${body.length}\r\nCache-Control: no-store\r\n\r\n${body.toString('utf8')}`,
  )
}

/** The sockets of one server and the event source they listen to. */
export interface EventsSocket {
  /** Completes an upgrade the caller has already checked with {@link upgradeRefusal}. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer): void
  /** Number of open sockets. */
  readonly clients: number
  /** Closes every socket (1001 going away) and stops listening to the source. */
  close(): void
}

/** Creates the socket server and subscribes it to `events` (none: sockets stay silent). */
export function createEventsSocket(events?: EventSource): EventsSocket {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096, perMessageDeflate: false })
  const alive = new WeakMap<WebSocket, boolean>()
  const unsubscribe = events?.subscribe((message) => {
    const data = JSON.stringify(message)
    for (const client of wss.clients) {
      if (client.readyState !== WebSocket.OPEN) continue
      if (client.bufferedAmount > MAX_BUFFERED_BYTES) client.terminate()
      else client.send(data)
    }
  })
  const heartbeat = setInterval(() => {
    for (const client of wss.clients) {
      if (alive.get(client) === false) {
        client.terminate()
        continue
      }
      alive.set(client, false)
      client.ping()
    }
  }, HEARTBEAT_MS)
  heartbeat.unref()
  wss.on('connection', (ws) => {
    alive.set(ws, true)
    ws.on('pong', () => alive.set(ws, true))
    ws.on('error', () => ws.terminate())
  })
  return {
    accept(req, socket, head) {
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
    },
    get clients() {
      return wss.clients.size
    },
    close() {
      clearInterval(heartbeat)
      unsubscribe?.()
      for (const client of wss.clients) {
        client.close(1001, 'server stopping')
        // a client that does not answer the close frame must not keep the server open
        setTimeout(() => client.terminate(), 500).unref()
      }
      wss.close()
    },
  }
}
