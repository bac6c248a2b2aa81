/**
 * Checks on who is talking to the local server. It binds to 127.0.0.1, and it also refuses
 * requests whose Host header is not a loopback name on its own port (DNS rebinding) and API calls
 * and WebSocket handshakes whose Origin is another site (pages in the same browser). The session
 * token (session.ts) comes on top of these.
 */

const LOOPBACK_HOSTNAMES = new Set(['127.0.0.1', 'localhost', '[::1]'])

/** True when a Host header names this server on a loopback address and on its port. */
export function isLoopbackHost(hostHeader: string | undefined, port: number): boolean {
  if (!hostHeader) return false
  let url: URL
  try {
    url = new URL(`http://${hostHeader}`)
  } catch {
    return false
  }
  if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) return false
  const hostPort = url.port === '' ? 80 : Number(url.port)
  return LOOPBACK_HOSTNAMES.has(url.hostname.toLowerCase()) && hostPort === port
}

/** True when a request's Origin (if any) is this server's own origin as named by its Host header. */
export function isSameOriginOrAbsent(origin: string | undefined, host: string | undefined): boolean {
  return origin === undefined || origin.toLowerCase() === `http://${host ?? ''}`.toLowerCase()
}

/** Request headers the API guard reads. */
export interface ApiRequestHeaders {
  host?: string
  origin?: string
  'content-type'?: string
  'sec-fetch-site'?: string
}

/** Why an API request is refused, or null when it may proceed. */
export function apiRequestRefusal(headers: ApiRequestHeaders): { status: number; message: string } | null {
  if (!isSameOriginOrAbsent(headers.origin, headers.host)) {
    return { status: 403, message: `cross-origin API request from ${headers.origin} refused` }
  }
  const site = headers['sec-fetch-site']
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return { status: 403, message: `API request from a ${site} context refused` }
  }
  const type = (headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
  if (type !== 'application/json') {
    return { status: 415, message: 'API requests must be POST with Content-Type: application/json' }
  }
  return null
}
