/**
 * `POST /api/<channel>`: the contract over HTTP. Checks the session, then the same-origin JSON
 * rules, then reads a body of at most {@link bodyLimitFor} bytes and answers with the dispatcher's
 * envelope (HTTP status from the error code; the envelope says the rest).
 */
import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { type ApiErrorCode, type Envelope, fail } from '../../shared/envelope.js'
import type { Api } from '../api/handlers.js'
import { apiRequestRefusal } from './request-guards.js'
import { hasValidSession } from './session.js'

/** Largest accepted API request body. */
export const MAX_BODY_BYTES = 1024 * 1024

/** Largest body of `uploads.add` (a base64 photo of up to 20 MB, plus the JSON around it). */
export const UPLOAD_MAX_BODY_BYTES = 28 * 1024 * 1024

/** The body limit of a channel. */
export function bodyLimitFor(channel: string): number {
  return channel === 'uploads.add' ? UPLOAD_MAX_BODY_BYTES : MAX_BODY_BYTES
}

/** HTTP status of an error envelope; codes not listed here answer 400 (`internal`: 500). */
const STATUS_OF: Partial<Record<ApiErrorCode, number>> = {
  'bad-request': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  'unknown-channel': 404,
  busy: 409,
  'pack-unavailable': 503,
  internal: 500,
}

/** The HTTP status that carries an envelope. */
export function envelopeStatus(envelope: Envelope<unknown>): number {
  return envelope.ok ? 200 : (STATUS_OF[envelope.error.code] ?? 400)
}

/** A JSON envelope response, never cached. */
export function envelopeResponse(envelope: Envelope<unknown>, status = envelopeStatus(envelope)): Response {
  return new Response(JSON.stringify(envelope), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
  })
}

/**
 * Marks a refusal sent before the body was read: the connection closes after it, so a client
 * never reuses a socket the server is still draining (the adapter drops it after 500 ms).
 */
function closing(response: Response): Response {
  response.headers.set('Connection', 'close')
  return response
}

/** What the API routes need from the server. */
export interface ApiRouteOptions {
  api: Api
  token: string
  /** The bound port (cookie name). */
  port: () => number
}

/** Refuses calls without a session or outside the same-origin JSON POST rules. */
function guard(options: ApiRouteOptions): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== 'POST') {
      return closing(c.text('API channels accept POST only', 405, { Allow: 'POST', 'Cache-Control': 'no-store' }))
    }
    const session = { cookie: c.req.header('cookie'), authorization: c.req.header('authorization') }
    if (!hasValidSession(session, options.port(), options.token)) {
      const message = 'no valid session token: open the link printed by `constella serve` (each start prints a new one)'
      return closing(envelopeResponse(fail('unauthorized', message)))
    }
    const refusal = apiRequestRefusal({
      host: c.req.header('host'),
      origin: c.req.header('origin'),
      'content-type': c.req.header('content-type'),
      'sec-fetch-site': c.req.header('sec-fetch-site'),
    })
    if (refusal) return closing(envelopeResponse(fail(refusal.status === 403 ? 'forbidden' : 'bad-request', refusal.message), refusal.status))
    return next()
  }
}

/** Reads the body up to the channel's limit (413 beyond it). */
function limit(): MiddlewareHandler {
  return (c, next) => {
    const maxSize = bodyLimitFor(c.req.param('channel') ?? '')
    const onError = (): Response => closing(envelopeResponse(fail('bad-request', `request body larger than ${maxSize} bytes`), 413))
    return bodyLimit({ maxSize, onError })(c, next)
  }
}

/** The handlers of `/api/:channel`, in this order: guard, limit, dispatch. */
export function apiRoute(options: ApiRouteOptions): Record<'guard' | 'limit' | 'dispatch', MiddlewareHandler> {
  const dispatch: MiddlewareHandler = async (c) => {
    const text = (await c.req.text()).trim()
    let request: unknown = {}
    if (text !== '') {
      try {
        request = JSON.parse(text) as unknown
      } catch {
        return envelopeResponse(fail('bad-request', 'request body is not valid JSON'))
      }
    }
    return envelopeResponse(await options.api.dispatch(c.req.param('channel') ?? '', request))
  }
  return { guard: guard(options), limit: limit(), dispatch }
}
