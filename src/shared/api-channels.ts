/**
 * The contract's names and paths, without its schemas: the channel list, the HTTP, WebSocket,
 * IPC and media routes. Kept apart from `api-contract.ts` (zod) so the renderer, which builds its
 * client from these and validates nothing itself, loads no schema library at start-up.
 */

/** Every channel, in a stable order (the preload and the HTTP client build the API from it). */
export const API_CHANNELS = [
  'app.info',
  'models.list',
  'library.status',
  'folders.add',
  'folders.remove',
  'folders.rescan',
  'folders.pick',
  'fs.browse',
  'photos.list',
  'photos.count',
  'photos.get',
  'photos.graph',
  'photos.neighbours',
  'uploads.add',
  'search.run',
  'jobs.list',
  'jobs.cancel',
  'jobs.problems',
  'settings.get',
  'settings.set',
  'annotations.get',
  'labels.set',
  'labels.add',
  'labels.batch',
  'boxes.add',
  'boxes.update',
  'boxes.delete',
  'photos.review',
  'edits.undo',
  'edits.redo',
  'edits.state',
  'edits.history',
  'review.queue',
  'vocabulary.list',
  'vocabulary.check',
  'interchange.import',
  'interchange.export',
  'train.start',
  'heads.list',
  'heads.activate',
  'heads.rollback',
  'scenes.get',
  'scenes.compute',
  'scenes.matrix',
  'map.get',
  'map.compute',
] as const

/** A channel name. */
export type ApiChannel = (typeof API_CHANNELS)[number]

/** True when `name` is a channel of the contract. */
export function isApiChannel(name: string): name is ApiChannel {
  return (API_CHANNELS as readonly string[]).includes(name)
}

/** The Electron IPC channel name that carries a contract channel. */
export function ipcChannelName(channel: ApiChannel): string {
  return `constella:${channel}`
}

/** The Electron IPC channel that carries pushed events (main -> renderer). */
export const IPC_EVENT_CHANNEL = 'constella:event'

/** The HTTP path that carries a contract channel (POST, JSON body). */
export function httpApiPath(channel: ApiChannel): string {
  return `/api/${channel}`
}

/** The WebSocket path of pushed events in browser mode. */
export const HTTP_EVENTS_PATH = '/events'

/**
 * What a media URL shows: the 320-px thumbnail, the photo as the photo view shows it (an upright
 * JPEG preview, long side at most 2048 px: scale overlays by the photo's width/height, not the
 * image's), or the original at full resolution (zooming in, exports).
 */
export type MediaKind = 'thumb' | 'photo' | 'original'

/** The Electron custom scheme for photos: `constella-media://thumb/<id>`. */
export const MEDIA_SCHEME = 'constella-media'

/**
 * Path of a photo's media in browser mode: `/media/thumb/<id>` (served by id only). With the
 * photo's `version` (`?v=`), the browser may keep the answer for good: the URL changes when the
 * photo does (without it, every use revalidates).
 */
export function httpMediaPath(kind: MediaKind, photoId: number, version?: string): string {
  return `/media/${kind}/${photoId}${versionQuery(version)}`
}

/** `?v=<version>`, or nothing without a version. */
export function versionQuery(version: string | undefined): string {
  return version ? `?v=${encodeURIComponent(version)}` : ''
}
