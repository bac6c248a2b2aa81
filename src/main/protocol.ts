/**
 * The `constella-media://` protocol: the Electron renderer's only way to load photos, by photo id
 * only (`constella-media://thumb/7`, `constella-media://photo/7`). Which file that is, and that
 * it lies inside a library folder, is the media service's business: no path ever comes from the
 * renderer. The URL parsing and responses live in ipc/media-url.ts (tested under Node).
 */
import { protocol } from 'electron'
import { MEDIA_SCHEME } from '../shared/api-contract.js'
import type { MediaSource } from './http/media-response.js'
import { mediaProtocolResponse } from './ipc/media-url.js'

export { MEDIA_SCHEME }

/** Declares the scheme's privileges; must run before `app` is ready. */
export function registerMediaScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true, corsEnabled: true } }])
}

/** Serves photos and thumbnails by id through the media service (services.media). */
export function setupProtocol(media: MediaSource): void {
  protocol.handle(MEDIA_SCHEME, (request) =>
    mediaProtocolResponse(media, request, (err) => console.error(`[media] ${request.url}:`, err)),
  )
}
