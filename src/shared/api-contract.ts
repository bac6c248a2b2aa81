/**
 * The one API contract shared by every transport (Electron IPC, the local HTTP + WebSocket
 * server) and by the renderer: channel name -> zod request schema + response type, and the
 * events the app pushes. Pure TS: no node:/electron imports.
 *
 * To add a channel: add its name to {@link API_CHANNELS}, its request schema to {@link apiContract}
 * and its response type to {@link ApiResponses}; the compiler then asks for the handler.
 * Records exchanged on the channels live in `api-types.ts`.
 */
import { z } from 'zod'
import type { Envelope } from './envelope.js'
import type {
  AppInfo,
  AppSettings,
  FolderEntry,
  FolderListing,
  JobInfo,
  JobProblem,
  LibraryStatus,
  ModelRow,
  PhotoCardPage,
  PhotoDetail,
  PhotoGraphView,
  SearchResponse,
  UploadedPhoto,
} from './api-types.js'

export type * from './api-types.js'

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
] as const

/** A channel name. */
export type ApiChannel = (typeof API_CHANNELS)[number]

/** True when `name` is a channel of the contract. */
export function isApiChannel(name: string): name is ApiChannel {
  return (API_CHANNELS as readonly string[]).includes(name)
}

/** A request without parameters: an empty object (unknown keys are refused). */
const noParams = /* @__PURE__ */ z.strictObject({})

const id = /* @__PURE__ */ z.number().int().positive()
const classId = /* @__PURE__ */ z.number().int().min(0).max(10_000)
/** An absolute folder path on the machine running the engine. */
const folderPath = /* @__PURE__ */ z.string().min(1).max(4096)
/** A box `[x1, y1, x2, y2]` in the photo's own pixels. */
const box = /* @__PURE__ */ z
  .tuple([z.number(), z.number(), z.number(), z.number()])
  .refine(([x1, y1, x2, y2]) => x2 > x1 && y2 > y1, 'a box needs x2 > x1 and y2 > y1')

/** Which photos a grid shows. Every field narrows; absent fields do not filter. */
export const photoFilterSchema = /* @__PURE__ */ z.strictObject({
  /** Photos that have every one of these classes in `labelState` (default positive). */
  labels: z.array(classId).max(20).optional(),
  /** State the `labels` must have (the effective state: human over model). */
  labelState: z.enum(['positive', 'negative', 'unknown']).optional(),
  /** Photos with at least / at most this many detected objects. */
  minObjects: z.number().int().min(0).optional(),
  maxObjects: z.number().int().min(0).optional(),
  status: z.enum(['indexed', 'pending', 'failed']).optional(),
  /** Photos under this library folder. */
  folder: folderPath.optional(),
  /** Case-insensitive substring of the file name. */
  text: z.string().max(200).optional(),
})

/** How a grid is ordered; ties are broken by photo id. */
export const photoSortSchema = /* @__PURE__ */ z.strictObject({
  key: z.enum(['added', 'name', 'objects', 'indexed']).default('added'),
  order: z.enum(['asc', 'desc']).default('desc'),
})

/** What a search is about. */
export const searchQuerySchema = /* @__PURE__ */ z.discriminatedUnion('kind', [
  /** A library photo: rank by its photo embedding H. */
  z.strictObject({ kind: z.literal('photo'), photoId: id }),
  /** An outside photo uploaded with `uploads.add` (kept in memory only, never in the library). */
  z.strictObject({ kind: z.literal('upload'), uploadId: z.string().min(1).max(64) }),
  /** One or more stored objects: rank by their object embeddings h_i. */
  z.strictObject({ kind: z.literal('objects'), objectIds: z.array(id).min(1).max(16) }),
  /** Boxes drawn on a library photo (snapped to stored detections where they overlap). */
  z.strictObject({ kind: z.literal('boxes'), photoId: id, boxes: z.array(box).min(1).max(16) }),
])

/** Request schemas, one per channel. Every request is parsed with these before a handler runs. */
export const apiContract = {
  'app.info': noParams,
  'models.list': noParams,
  'library.status': noParams,
  /** Adds a folder to the library and starts indexing it. */
  'folders.add': z.strictObject({ path: folderPath }),
  /** Removes a folder: its photos leave the library (files on disk are never touched). */
  'folders.remove': z.strictObject({ path: folderPath }),
  /** Indexes a folder (or every folder) again: new, changed and removed files. */
  'folders.rescan': z.strictObject({ path: folderPath.optional() }),
  /** Electron: the native folder dialog. Browser mode: fails with `unsupported` (use fs.browse). */
  'folders.pick': noParams,
  /** Server-side folder browser: the sub-folders of `path` (default: the home folder). */
  'fs.browse': z.strictObject({ path: folderPath.optional() }),
  /**
   * One page of the grid. Keyset paging: pass the previous page's `nextCursor`; or `offset` to
   * jump (scrollbar drags). Never the whole table at once.
   */
  'photos.list': z.strictObject({
    filter: photoFilterSchema.default({}),
    sort: photoSortSchema.default({ key: 'added', order: 'desc' }),
    cursor: z.string().max(512).optional(),
    offset: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(500).default(200),
  }),
  'photos.count': z.strictObject({ filter: photoFilterSchema.default({}) }),
  'photos.get': z.strictObject({ id }),
  /** The head run again on the stored inputs of a photo: nodes, OT adjacency, plan, attention. */
  'photos.graph': z.strictObject({ id }),
  /** The photos before and after `id` in a grid's order (arrow keys in the photo view). */
  'photos.neighbours': z.strictObject({
    id,
    filter: photoFilterSchema.default({}),
    sort: photoSortSchema.default({ key: 'added', order: 'desc' }),
  }),
  /** An outside photo for search, base64 (at most 20 MB decoded). Decoded with the indexing guards. */
  'uploads.add': z.strictObject({ name: z.string().max(255).default('photo'), data: z.string().min(1).max(28_000_000) }),
  'search.run': z.strictObject({
    query: searchQuerySchema,
    k: z.number().int().min(1).max(200).default(40),
    /** Results must have every one of these classes as a positive label. */
    with: z.array(classId).max(20).default([]),
    /** Results may have none of these. */
    without: z.array(classId).max(20).default([]),
  }),
  'jobs.list': noParams,
  'jobs.cancel': z.strictObject({ id }),
  /** Per-photo errors of a job (default: the latest indexing job), newest first. */
  'jobs.problems': z.strictObject({ id: id.optional(), limit: z.number().int().min(1).max(1000).default(200) }),
  'settings.get': noParams,
  'settings.set': z.strictObject({
    detectionThreshold: z.number().min(0.05).max(0.95).optional(),
  }),
} as const satisfies Record<ApiChannel, z.ZodType>

/** Response type of each channel. */
export interface ApiResponses {
  'app.info': AppInfo
  'models.list': ModelRow[]
  'library.status': LibraryStatus
  'folders.add': { folder: FolderEntry; jobId: number }
  'folders.remove': { removedPhotos: number }
  'folders.rescan': { jobId: number }
  'folders.pick': { path: string | null }
  'fs.browse': FolderListing
  'photos.list': PhotoCardPage
  'photos.count': { total: number }
  'photos.get': PhotoDetail
  'photos.graph': PhotoGraphView
  'photos.neighbours': { previous: number | null; next: number | null }
  'uploads.add': UploadedPhoto
  'search.run': SearchResponse
  'jobs.list': JobInfo[]
  'jobs.cancel': JobInfo
  'jobs.problems': JobProblem[]
  'settings.get': AppSettings
  'settings.set': AppSettings
}

/** Events the app pushes to every connected renderer (IPC `constella:event`, WebSocket `/events`). */
export interface ApiEvents {
  /** A job started, progressed (at most ~4 per second), or ended. */
  'job.updated': JobInfo
  /** Photos were added, analysed, changed or removed; grids and counts should refresh. */
  'library.changed': { reason: 'indexed' | 'folders' | 'removed'; photoIds?: number[] }
  /** Settings changed (by this or another window). */
  'settings.changed': AppSettings
}

/** An event name. */
export type ApiEventName = keyof ApiEvents

/** One pushed event on the wire. */
export type ApiEventMessage = { [E in ApiEventName]: { event: E; payload: ApiEvents[E] } }[ApiEventName]

/** The request a caller passes on a channel (schema input). */
export type ApiRequest<C extends ApiChannel> = z.input<(typeof apiContract)[C]>

/** The request a handler receives after parsing (schema output). */
export type ParsedRequest<C extends ApiChannel> = z.output<(typeof apiContract)[C]>

/** The value a channel resolves to. */
export type ApiResponse<C extends ApiChannel> = ApiResponses[C]

/** The API as the renderer sees it: one function per channel, each resolving to an envelope. */
export type ConstellaApi = {
  readonly [C in ApiChannel]: (request: ApiRequest<C>) => Promise<Envelope<ApiResponse<C>>>
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

/** What a media URL shows: the 320-px thumbnail or the photo itself (EXIF-oriented, JPEG). */
export type MediaKind = 'thumb' | 'photo'

/** The Electron custom scheme for photos: `constella-media://thumb/<id>`. */
export const MEDIA_SCHEME = 'constella-media'

/** Path of a photo's media in browser mode: `/media/thumb/<id>` (served by id only). */
export function httpMediaPath(kind: MediaKind, photoId: number): string {
  return `/media/${kind}/${photoId}`
}
