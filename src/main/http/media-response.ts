/**
 * Photos and thumbnails by photo id only, for both shells: the browser's `/media/<kind>/<id>` and
 * Electron's `constella-media://<kind>/<id>`. The transport parses the id; the media service
 * decides which file (always inside the library) or bytes it is. A path never reaches the service.
 */
import { stat } from 'node:fs/promises'
import type { MediaKind } from '../../shared/api-contract.js'
import { fileBody } from './static-files.js'

/** What the media service answers for an id: a file to stream or bytes, with type and ETag. */
export interface ResolvedMedia {
  file?: string
  body?: Uint8Array
  contentType: string
  etag: string
  /** The photo's content hash (see {@link MediaRequest.version}). */
  version?: string
}

/** The part of the media service the transports use (services.media). */
export interface MediaSource {
  /** The media of a photo, or null when there is no such photo (or no thumbnail yet). */
  resolve(kind: MediaKind, photoId: number): Promise<ResolvedMedia | null>
}

/** Media responses may be cached by this browser only, and revalidated with the ETag. */
export const MEDIA_CACHE_CONTROL = 'private, no-cache'
/** Media asked for with the photo's current version: kept by this browser without revalidating. */
export const MEDIA_VERSIONED_CACHE_CONTROL = 'private, max-age=31536000, immutable'

/** True when a request's `version` names the photo as it is now (a prefix of 8+ hex digits of its hash). */
function isCurrentVersion(asked: string | null | undefined, current: string | undefined): boolean {
  return !!asked && !!current && /^[0-9a-f]{8,64}$/.test(asked) && current.startsWith(asked)
}

const KINDS: ReadonlySet<string> = new Set<MediaKind>(['thumb', 'photo', 'original'])

/** The media kind named by a URL segment, or null. */
export function parseMediaKind(text: string): MediaKind | null {
  return KINDS.has(text) ? (text as MediaKind) : null
}

/** A photo id from a URL segment: a positive decimal integer without sign, zeros or spaces; else null. */
export function parseMediaId(text: string): number | null {
  if (!/^[1-9][0-9]{0,15}$/.test(text)) return null
  const id = Number(text)
  return Number.isSafeInteger(id) ? id : null
}

/** The quoted entity tag of a service ETag. */
function quoted(etag: string): string {
  return /^(W\/)?".*"$/.test(etag) ? etag : `"${etag.replace(/"/g, '')}"`
}

/** True when an `If-None-Match` header names this entity tag (weak comparison, `*` matches). */
export function etagMatches(ifNoneMatch: string | null | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false
  const strip = (tag: string): string => tag.trim().replace(/^W\//, '')
  const mine = strip(quoted(etag))
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || strip(tag) === mine)
}

const text = (status: number, message: string): Response =>
  new Response(message, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } })

/** Request details the media answer depends on. */
export interface MediaRequest {
  method: string
  ifNoneMatch?: string | null
  /** The `v` of the URL: the version of the photo the page holds (PhotoCard.version). */
  version?: string | null
}

/**
 * Answers one media request: 200 with the bytes, 304 when the client's copy is current, 404 when
 * the service has no such media (or its file vanished). `onError` hears unexpected failures.
 */
export async function mediaResponse(
  media: MediaSource,
  kind: MediaKind,
  photoId: number,
  request: MediaRequest,
  onError?: (err: unknown) => void,
): Promise<Response> {
  let resolved: ResolvedMedia | null
  try {
    resolved = await media.resolve(kind, photoId)
  } catch (err) {
    onError?.(err)
    return text(500, `cannot read the ${kind} of photo ${photoId}`)
  }
  if (!resolved) return text(404, `no ${kind} for photo ${photoId}`)
  const headers: Record<string, string> = {
    'Content-Type': resolved.contentType,
    'Cache-Control': isCurrentVersion(request.version, resolved.version) ? MEDIA_VERSIONED_CACHE_CONTROL : MEDIA_CACHE_CONTROL,
    ETag: quoted(resolved.etag),
  }
  if (etagMatches(request.ifNoneMatch, resolved.etag)) return new Response(null, { status: 304, headers })
  const head = request.method === 'HEAD'
  if (resolved.body) {
    headers['Content-Length'] = String(resolved.body.byteLength)
    return new Response(head ? null : new Uint8Array(resolved.body), { status: 200, headers })
  }
  if (!resolved.file) return text(404, `no ${kind} for photo ${photoId}`)
  const info = await stat(resolved.file).catch(() => null)
  if (!info?.isFile()) return text(404, `the ${kind} of photo ${photoId} is no longer on disk`)
  headers['Content-Length'] = String(info.size)
  return new Response(head ? null : fileBody(resolved.file), { status: 200, headers })
}
