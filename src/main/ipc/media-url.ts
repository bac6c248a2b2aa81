/**
 * The Electron side of "photos by id only": `constella-media://<thumb|photo>/<id>` URLs, parsed
 * strictly and answered with the same media responses as browser mode. Electron-free, so it is
 * tested under Node; protocol.ts plugs it into `protocol.handle`.
 */
import { MEDIA_SCHEME, type MediaKind } from '../../shared/api-contract.js'
import { mediaResponse, parseMediaId, parseMediaKind, type MediaSource } from '../http/media-response.js'

/** The media a `constella-media://` URL names, or null for anything else (paths, other hosts, bad ids). */
export function parseMediaUrl(url: string): { kind: MediaKind; photoId: number; version: string | null } | null {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return null
  }
  if (parsed.protocol !== `${MEDIA_SCHEME}:` || parsed.username || parsed.password || parsed.port) return null
  const kind = parseMediaKind(parsed.hostname.toLowerCase())
  const match = /^\/([0-9]+)$/.exec(parsed.pathname)
  const photoId = match ? parseMediaId(match[1]) : null
  return kind && photoId !== null ? { kind, photoId, version: parsed.searchParams.get('v') } : null
}

/** What the protocol handler reads of a request. */
export interface MediaProtocolRequest {
  url: string
  method: string
  headers: { get(name: string): string | null }
}

/** Answers a `constella-media://` request: the media of the id, 304 when current, 404 otherwise. */
export async function mediaProtocolResponse(
  media: MediaSource,
  request: MediaProtocolRequest,
  onError?: (err: unknown) => void,
): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('method not allowed', { status: 405 })
  const target = parseMediaUrl(request.url)
  if (!target) return new Response('not found', { status: 404 })
  const asked = { method: request.method, ifNoneMatch: request.headers.get('if-none-match'), version: target.version }
  const response = await mediaResponse(media, target.kind, target.photoId, asked, onError)
  // The renderer (a file:// page) fetches grid thumbnails (lib/services/thumbnails.ts): a CORS
  // read of this scheme, which only the app's own window can reach.
  response.headers.set('Access-Control-Allow-Origin', '*')
  return response
}
