/**
 * Records exchanged on the API channels (see `api-contract.ts`). Pure TS. Boxes are
 * `[x1, y1, x2, y2]` in the photo's own (EXIF-oriented) pixels; class ids index the head's class
 * list (COCO's 80 for the shipped pack); times are milliseconds since the Unix epoch.
 */
import type { Box } from './domain.js'
import type { JobDetail } from './annotation-types.js'

/** Status of one model file of the pack against its manifest sha256. */
export type ModelFileStatus = 'ok' | 'missing' | 'mismatch'

/** The inference execution provider in use. */
export interface ProviderInfo {
  /** e.g. "cpu", "cuda". */
  name: string
  /** One short line: why this provider (e.g. "cuda not installed; webgpu: no adapter"). */
  summary: string
  /** The full text of every fallback, for "show details". */
  detail: string
}

/** What the app says about itself. */
export interface AppInfo {
  /** Constella's version (package.json). */
  version: string
  /** Node's platform name of the machine running the engine, e.g. "linux". */
  platform: string
  /** 'electron': the desktop window (native dialogs); 'browser': browser mode. */
  mode: 'electron' | 'browser'
  /** Absolute folder of the model pack. */
  packDir: string
  /** Absolute folder of the library (SQLite, indexes, thumbnails). */
  libraryDir: string
  /** The class names of the head (index = class id). */
  classNames: string[]
  /** Absent while the engine has not started. */
  provider?: ProviderInfo
}

/** One model of the pack, as listed to the user. */
export interface ModelRow {
  name: string
  role: string
  /** npm package the weights come from, as name@version. */
  source: string
  /** File name inside the pack folder. */
  file: string
  /** sha256 recorded in the manifest (hex). */
  sha256: string
  /** Size recorded in the manifest. */
  bytes: number
  status: ModelFileStatus
}

/** A folder of the library. */
export interface FolderEntry {
  path: string
  /** Photos of the library under it, by status. */
  photos: number
  indexed: number
  failed: number
  /** False when the folder is missing or unreadable now (its photos are kept). */
  available: boolean
  addedAt: number
}

/** The library at a glance. */
export interface LibraryStatus {
  dir: string
  folders: FolderEntry[]
  photos: { total: number; indexed: number; pending: number; failed: number }
  objects: number
  /** The job indexing right now, if any. */
  activeJob: JobInfo | null
}

/** One entry of the server-side folder browser. */
export interface FolderListingEntry {
  name: string
  path: string
  /** Photo files directly inside (not recursive; null when unreadable). */
  photos: number | null
  /** Has sub-folders (so the browser can offer to open it). */
  hasFolders: boolean
}

/** A folder and its sub-folders. */
export interface FolderListing {
  path: string
  /** null at a filesystem root. */
  parent: string | null
  /** Photo files directly inside `path`. */
  photos: number
  entries: FolderListingEntry[]
  /** Places to start from (home, filesystem roots). */
  places: { name: string; path: string }[]
}

/** Where a photo is in indexing. */
export type PhotoStatus = 'pending' | 'indexed' | 'failed'

/** One tile of the grid. */
export interface PhotoCard {
  id: number
  /** File name. */
  name: string
  width: number | null
  height: number | null
  status: PhotoStatus
  /** Detected objects (as one per physical object, see PhotoObject). */
  objects: number
  /** Positive labels, strongest first (at most 5 names). */
  labels: string[]
  /** Why indexing failed. */
  error: string | null
  /** Changes when the photo's file does (its content hash, shortened): part of its media URLs. */
  version: string
  /** It has a thumbnail (a photo waiting to be indexed the first time has none yet). */
  thumbnail: boolean
}

/** A page of the grid. */
export interface PhotoCardPage {
  items: PhotoCard[]
  /** Pass back as `cursor` for the next page; null after the last one. */
  nextCursor: string | null
  /** Offset of the first item in the whole ordered list. */
  offset: number
}

/** One class alternative of an object. */
export interface ClassScore {
  classId: number
  className: string
  score: number
}

/** One physical object of a photo: overlapping detections of several classes shown as one. */
export interface PhotoObject {
  /** The stored object of the best class (the one shown). */
  id: number
  box: Box
  classId: number
  className: string
  /** Detector score, null for a box drawn by a person. */
  score: number | null
  source: 'detector' | 'human'
  /** Other classes detected on the same box (best first); their stored object ids in `memberIds`. */
  alternatives: ClassScore[]
  /** Every stored object id this object stands for (`id` first). */
  memberIds: number[]
}

/** State of one class for one photo (ML-SGM's partial labels). */
export type LabelState = 'positive' | 'negative' | 'unknown'

/** One label of a photo, the effective one (human over model). */
export interface PhotoLabel {
  classId: number
  className: string
  state: LabelState
  source: 'model' | 'human'
  /** Model confidence (detector score), null for human labels. */
  confidence: number | null
}

/** Everything the photo view shows besides the graph. */
export interface PhotoDetail {
  id: number
  path: string
  name: string
  folder: string
  width: number | null
  height: number | null
  format: string | null
  bytes: number
  status: PhotoStatus
  error: string | null
  indexedAt: number | null
  /** As {@link PhotoCard.version}. */
  version: string
  objects: PhotoObject[]
  labels: PhotoLabel[]
}

/** A node of a photo's graph: node 0 is the whole photo. */
export type GraphNodeView =
  | { kind: 'photo' }
  | { kind: 'object'; objectId: number; classId: number; className: string; box: Box; score: number }

/** The SARL-GAT graph of one photo, as the overlays draw it. Matrices are n x n, row-major nested. */
export interface PhotoGraphView {
  nodes: GraphNodeView[]
  /** A_ij: cosine of the transport rows (OT adjacency), 1 on the diagonal. */
  adjacency: number[][]
  /** Per node: the labels its transport plan row sends most mass to (top 5, mass 0..1 of the row). */
  transportTopLabels: { classId: number; className: string; mass: number }[][]
  /** attention[layer][head][i][j] = alpha_ij (rows sum to 1). */
  attention: number[][][][]
  /** Sigmoid label scores of the head's classifier (numClasses). */
  labelScores: number[]
  sinkhorn: { iterations: number; converged: boolean }
  /** The model that computed it, e.g. "sarl-gat-head (default, untrained)". */
  model: string
}

/** An outside photo held in memory for search. */
export interface UploadedPhoto {
  uploadId: string
  name: string
  width: number
  height: number
  /** A small JPEG preview as a data: URL (so the renderer can show it without a media route). */
  preview: string
  /** Detected objects of the photo (same shape as a library photo's). */
  objects: Omit<PhotoObject, 'id' | 'memberIds'>[]
}

/** One query object as resolved. */
export interface SearchQueryObject {
  /** Index in the query's objects (explanations refer to it). */
  index: number
  objectId: number | null
  classId: number
  className: string
  box: Box
  score: number | null
  /** 'stored': a library object; 'detected': found in an uploaded photo; 'box': built from a drawn box. */
  origin: 'stored' | 'detected' | 'box'
  /** For a drawn box snapped to a stored detection: their IoU. */
  boxIou?: number
}

/** The query as the engine understood it. */
export interface SearchQueryView {
  /** 'photo': ranked by the photo embedding H; 'objects': by the object embeddings h_i. */
  mode: 'photo' | 'objects'
  /** The library photo behind the query (null for an upload). */
  photoId: number | null
  uploadId: string | null
  width: number | null
  height: number | null
  objects: SearchQueryObject[]
  labels: string[]
}

/** One matched pair of an explanation. */
export interface MatchView {
  queryIndex: number
  resultObjectId: number
  resultClassName: string
  resultBox: Box
  /** 1 - cos(h_query, h_result): 0 = the same, 2 = opposite; lower = closer. */
  cost: number
  /** The cost in words, e.g. "very close", "similar", "loosely related". */
  closeness: string
  /** Share of the query object's mass sent to this result object (0..1). */
  mass: number
}

/** One result with why it matched. */
export interface SearchResultView {
  photoId: number
  name: string
  width: number | null
  height: number | null
  /** Cosine similarity (1 = identical). */
  similarity: number
  labels: string[]
  explanation: {
    /** At most one pair per query object and per result object, by ascending cost. */
    matches: MatchView[]
    sharedLabels: string[]
    queryOnlyLabels: string[]
    resultOnlyLabels: string[]
    unmatchedQuery: number[]
    unmatchedResult: number[]
    /** One sentence for the result card, e.g. "shares dog, frisbee; dog↔dog very close". */
    summary: string
  }
}

/** A search's query and results. */
export interface SearchResponse {
  query: SearchQueryView
  results: SearchResultView[]
  /** Engine time in ms. */
  tookMs: number
}

/** Kinds of long work. */
export type JobKind = 'index' | 'reanalyse' | 'train' | 'import' | 'export' | 'activate-head' | 'scenes' | 'map'

/** Where a job is. */
export type JobState = 'queued' | 'running' | 'completed' | 'cancelled' | 'failed'

/** A long-running job, as the Jobs view and progress bars show it. */
export interface JobInfo {
  id: number
  kind: JobKind
  /** What it works on, e.g. "Indexing /home/ann/Pictures". */
  title: string
  state: JobState
  /** Photos done (indexed, skipped or failed) and found so far; total null while scanning. */
  done: number
  total: number | null
  failed: number
  /** Photos per second over the last seconds, null before the first photo. */
  rate: number | null
  /** Seconds left at the current rate, null when unknown. */
  etaSeconds: number | null
  startedAt: number
  finishedAt: number | null
  /** Why the job failed (state 'failed'). */
  error: string | null
  /** The file being worked on (last started). */
  current: string | null
  /** What the job reports besides done/total (training progress, an import's report...). */
  detail?: JobDetail | null
}

/** A per-photo error of a job. */
export interface JobProblem {
  jobId: number
  path: string
  photoId: number | null
  reason: string
  at: number
}

/** User settings. */
export interface AppSettings {
  /** Detections at or above it are shown as objects (the viewer's default slider value). */
  detectionThreshold: number
  /** K, the number of scenes found without scene labels. */
  sceneCount: number
}
