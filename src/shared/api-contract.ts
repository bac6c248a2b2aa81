/**
 * The one API contract shared by every transport (Electron IPC, the local HTTP + WebSocket
 * server) and by the renderer: channel name -> zod request schema + response type, and the
 * events the app pushes. Pure TS: no node:/electron imports.
 *
 * To add a channel: add its name to `API_CHANNELS` (api-channels.ts), its request schema to {@link apiContract}
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
import type {
  EditReply,
  HeadVersionInfo,
  HistoryEntry,
  NameCheck,
  PhotoAnnotationsView,
  ReviewPage,
  UndoState,
  VocabularyItem,
} from './annotation-types.js'
import type { CooccurrenceMatrix, EmbeddingMap, ScenesOverview } from './scene-types.js'
import type { ApiChannel } from './api-channels.js'

export type * from './api-types.js'
export type * from './annotation-types.js'
export type * from './scene-types.js'

export * from './api-channels.js'

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

/** A label file format: COCO JSON, YOLO txt, Pascal VOC XML, CSV or JSONL (with label states). */
const interchangeFormat = /* @__PURE__ */ z.enum(['coco', 'yolo', 'voc', 'csv', 'jsonl'])

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
  /** Photos assigned to this scene (see `scenes.get`). */
  scene: z.number().int().min(0).max(63).optional(),
  /** Only these photos (a lasso selection on the map, a review batch). */
  ids: z.array(id).min(1).max(100_000).optional(),
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
    /** K, the number of scenes. */
    sceneCount: z.number().int().min(1).max(32).optional(),
  }),
  /** A photo's label states (human and model), its boxes, and undo/redo. */
  'annotations.get': z.strictObject({ photoId: id }),
  /**
   * A person's state of a class of a photo: positive (accept), negative (reject), unknown (not
   * sure: training ignores it), or null to withdraw the person's label (the model's counts again).
   */
  'labels.set': z.strictObject({ photoId: id, classId, state: z.enum(['positive', 'negative', 'unknown']).nullable() }),
  /** Adds a label by name: a class of the vocabulary, or a new name GloVe has a vector for. */
  'labels.add': z.strictObject({ photoId: id, name: z.string().trim().min(1).max(100) }),
  /** One class over a selection, as one edit (one undo). */
  'labels.batch': z.strictObject({
    photoIds: z.array(id).min(1).max(100_000),
    classId,
    op: z.enum(['add', 'remove', 'accept', 'clear']),
  }),
  /** Draws a box; the photo's label for its class follows its boxes unless set by hand. */
  'boxes.add': z.strictObject({ photoId: id, box, classId }),
  /** Moves, resizes and/or relabels a box (a detector box becomes a person's, remembering the original). */
  'boxes.update': z.strictObject({ objectId: id, box: box.optional(), classId: classId.optional() }),
  'boxes.delete': z.strictObject({ objectId: id }),
  /** Marks photos reviewed (or not). */
  'photos.review': z.strictObject({ photoIds: z.array(id).min(1).max(100_000), reviewed: z.boolean().default(true) }),
  /** Ctrl+Z: reverts the last edit not undone yet. Fails with 'nothing-to-undo'. */
  'edits.undo': noParams,
  /** Ctrl+Shift+Z: redoes the last undone edit. Fails with 'nothing-to-redo'. */
  'edits.redo': noParams,
  'edits.state': noParams,
  /** The correction log, newest first: all, or one photo's. */
  'edits.history': z.strictObject({ photoId: id.optional(), beforeId: id.optional(), limit: z.number().int().min(1).max(500).default(50) }),
  /** Photos to review: by model uncertainty, or by how likely a current label is wrong. */
  'review.queue': z.strictObject({
    order: z.enum(['uncertainty', 'disagreement']),
    limit: z.number().int().min(1).max(1000).default(50),
    cursor: z.strictObject({ score: z.number(), photoId: id }).optional(),
    includeReviewed: z.boolean().default(false),
  }),
  'vocabulary.list': noParams,
  /** What a typed name would be (autocomplete: known class, addable new name, or no GloVe vector). */
  'vocabulary.check': z.strictObject({ name: z.string().trim().min(1).max(100) }),
  /** Imports ground truth as human labels (a job; its report arrives in the job's `detail`). */
  'interchange.import': z.strictObject({
    format: interchangeFormat,
    /** A file (COCO, CSV, JSONL, one VOC XML or YOLO txt) or a folder (YOLO, VOC), on the engine's machine. */
    path: folderPath,
    /** 'declared': classes the file declares but a photo lacks become negatives. */
    negatives: z.enum(['declared', 'none']).default('declared'),
    /** Adds class names the vocabulary lacks when GloVe knows them (else they are reported). */
    addClasses: z.boolean().default(false),
    dryRun: z.boolean().default(false),
  }),
  /** Exports labels and boxes, streamed with progress (a job; its report arrives in `detail`). */
  'interchange.export': z.strictObject({
    format: interchangeFormat,
    /** A file (coco, csv, jsonl) or a folder (yolo, voc). */
    path: folderPath,
    /** Also the model's labels and boxes (COCO/YOLO/VOC). */
    includeModel: z.boolean().default(false),
    /** Writes into an existing non-empty folder. */
    force: z.boolean().default(false),
  }),
  /**
   * Trains the head on the photos with human-known labels (a job with epoch, loss and validation
   * mAP in `detail`; cancel keeps the best head so far). `split` < 1 holds the rest out for the report.
   */
  'train.start': z.strictObject({
    split: z.number().min(0.1).max(1).default(0.7),
    seed: z.number().int().min(0).default(1),
    epochs: z.number().int().min(1).max(500).optional(),
    /** Continues the last cancelled run from its checkpoint. */
    resume: z.boolean().default(false),
  }),
  'heads.list': noParams,
  /** Makes a head version the library's: re-embeds from cached features and rebuilds the index (a job). */
  'heads.activate': z.strictObject({ id: z.string().min(1).max(100) }),
  /** Goes back to the previously active head (a job). */
  'heads.rollback': noParams,
  /** The scenes with their sizes, names, characteristic labels, typical photos and balance. */
  'scenes.get': noParams,
  /** Finds K scenes (default the `sceneCount` setting) and counts their co-occurrence (a job). */
  'scenes.compute': z.strictObject({ k: z.number().int().min(1).max(32).optional() }),
  /**
   * The co-occurrence of a scene (or the whole library): over `classIds` if given, else the `top`
   * labels that matter most in it.
   */
  'scenes.matrix': z.strictObject({
    scene: z.union([z.number().int().min(0).max(63), z.literal('global')]),
    classIds: z.array(classId).min(1).max(80).optional(),
    top: z.number().int().min(2).max(80).default(16),
  }),
  /** The 2-D map of the photo embeddings; with `classId`, which photos have that label. */
  'map.get': z.strictObject({ classId: classId.optional() }),
  /** Computes the map (UMAP) as a background job. */
  'map.compute': noParams,
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
  'annotations.get': PhotoAnnotationsView
  'labels.set': EditReply
  'labels.add': EditReply
  'labels.batch': EditReply
  'boxes.add': EditReply
  'boxes.update': EditReply
  'boxes.delete': EditReply
  'photos.review': EditReply
  'edits.undo': EditReply
  'edits.redo': EditReply
  'edits.state': UndoState
  'edits.history': HistoryEntry[]
  'review.queue': ReviewPage
  'vocabulary.list': VocabularyItem[]
  'vocabulary.check': NameCheck
  'interchange.import': { jobId: number }
  'interchange.export': { jobId: number }
  'train.start': { jobId: number }
  'heads.list': HeadVersionInfo[]
  'heads.activate': { jobId: number }
  'heads.rollback': { jobId: number }
  'scenes.get': ScenesOverview
  'scenes.compute': { jobId: number }
  'scenes.matrix': CooccurrenceMatrix
  'map.get': EmbeddingMap
  'map.compute': { jobId: number }
}

/** Events the app pushes to every connected renderer (IPC `constella:event`, WebSocket `/events`). */
export interface ApiEvents {
  /** A job started, progressed (at most ~4 per second), or ended. */
  'job.updated': JobInfo
  /** Photos were added, analysed, changed or removed; grids and counts should refresh. */
  'library.changed': { reason: 'indexed' | 'folders' | 'removed' | 'labels' | 'head' | 'scenes'; photoIds?: number[] }
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
