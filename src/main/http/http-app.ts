/**
 * The browser-mode web app (Hono): the API, media by photo id, the session handshake and the
 * built renderer. Host checks, malformed request lines and the WebSocket upgrade are handled by
 * the node server in front of it (server.ts).
 */
import path from 'node:path'
import { Hono, type Context } from 'hono'
import type { Api } from '../api/handlers.js'
import { apiRoute } from './api-route.js'
import { LOGIN_PAGE_CSP, loginPageHtml, type LoginReason } from './login-page.js'
import { mediaResponse, parseMediaId, parseMediaKind, type MediaSource } from './media-response.js'
import { SECURITY_HEADERS } from './security-headers.js'
import { hasValidSession, sessionCookie, tokenMatches } from './session.js'
import { serveStaticFile } from './static-files.js'

/** What the web app serves. */
export interface HttpAppOptions {
  api: Api
  /** Photos and thumbnails by id; without it every /media request is 404. */
  media?: MediaSource
  /** Folder of the built renderer (index.html + assets/), normally out/renderer. */
  rendererDir: string
  /** This run's session token. */
  token: string
  /** The bound port (cookie name). */
  port: () => number
  /** Hears unexpected errors (the client gets a 500 without details). */
  onError?: (where: string, err: unknown) => void
}

const noStore = { 'Cache-Control': 'no-store' }

function loginPage(c: Context, reason: LoginReason): Response {
  const headers = { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': LOGIN_PAGE_CSP, ...noStore }
  return new Response(c.req.method === 'HEAD' ? null : loginPageHtml(reason), { status: 401, headers })
}

/** The renderer's entry page: trades `?token=` for the cookie, or explains where the link is. */
async function entryPage(c: Context, options: HttpAppOptions): Promise<Response> {
  const url = new URL(c.req.url)
  const presented = url.searchParams.get('token')
  if (presented !== null) {
    if (!tokenMatches(presented, options.token)) return loginPage(c, 'bad-token')
    url.searchParams.delete('token')
    // 303 to the clean URL: the token leaves the address bar and the history.
    return c.body(null, 303, { Location: `${url.pathname}${url.search}`, 'Set-Cookie': sessionCookie(options.port(), options.token), ...noStore })
  }
  const session = { cookie: c.req.header('cookie'), authorization: c.req.header('authorization') }
  if (!hasValidSession(session, options.port(), options.token)) return loginPage(c, 'no-session')
  const page = await serveStaticFile(options.rendererDir, '/index.html', c.req.method)
  if (page) return page
  const hint = `the renderer is not built (no ${path.join(options.rendererDir, 'index.html')}); run: npm run build`
  return c.text(hint, 503, noStore)
}

/** Builds the app. */
export function createHttpApp(options: HttpAppOptions): Hono {
  const app = new Hono()
  app.use('*', async (c, next) => {
    await next()
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
      if (!c.res.headers.has(name)) c.res.headers.set(name, value)
    }
  })
  const api = apiRoute(options)
  app.all('/api/:channel', api.guard, api.limit, api.dispatch)
  app.all('/media/*', async (c) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return c.text('method not allowed', 405, { Allow: 'GET, HEAD', ...noStore })
    const session = { cookie: c.req.header('cookie'), authorization: c.req.header('authorization') }
    if (!hasValidSession(session, options.port(), options.token)) return c.text('no valid session token: open the link printed by constella serve', 401, noStore)
    // by id only: exactly /media/<thumb|photo>/<positive integer>, read from the undecoded path
    const url = new URL(c.req.url)
    const match = /^\/media\/([a-z]+)\/([0-9]+)$/.exec(url.pathname)
    const kind = match ? parseMediaKind(match[1]) : null
    const id = match ? parseMediaId(match[2]) : null
    if (!options.media || kind === null || id === null) return c.text('not found', 404, noStore)
    const request = { method: c.req.method, ifNoneMatch: c.req.header('if-none-match'), version: url.searchParams.get('v') }
    return mediaResponse(options.media, kind, id, request, (err) => options.onError?.('media', err))
  })
  app.all('*', async (c) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return c.text('method not allowed', 405, { Allow: 'GET, HEAD', ...noStore })
    const pathname = new URL(c.req.url).pathname
    if (pathname === '/' || pathname === '/index.html') return entryPage(c, options)
    return (await serveStaticFile(options.rendererDir, pathname, c.req.method)) ?? c.text('not found', 404, noStore)
  })
  app.onError((err, c) => {
    options.onError?.('http', err)
    return c.text('internal error', 500, noStore)
  })
  return app
}
