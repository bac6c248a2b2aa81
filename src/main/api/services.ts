/**
 * The services the API handlers run over, as interfaces: the app engine (`src/main/app`)
 * implements them over one open library; transports also use `events` (pushed to windows and
 * WebSockets) and `media` (photos and thumbnails by id). Handlers stay thin: the work is here.
 */
import type { ModelEntry } from '../engine/models/manifest.js'
import { checkPack } from '../engine/models/pack.js'
import type {
  ApiEventMessage,
  AppInfo,
  AppSettings,
  FolderEntry,
  FolderListing,
  JobInfo,
  JobProblem,
  LibraryStatus,
  MediaKind,
  ModelFileStatus,
  ParsedRequest,
  PhotoCardPage,
  PhotoDetail,
  PhotoGraphView,
  SearchResponse,
  UploadedPhoto,
} from '../../shared/api-contract.js'
import type {
  EditReply, HeadVersionInfo, HistoryEntry, NameCheck, PhotoAnnotationsView, ReviewPage, UndoState, VocabularyItem,
} from '../../shared/annotation-types.js'
import { ApiError } from '../../shared/envelope.js'
import type { CooccurrenceMatrix, EmbeddingMap, ScenesOverview } from '../../shared/scene-types.js'

/** One model of the pack and how its file compares with the manifest. */
export interface ModelCheck {
  entry: Pick<ModelEntry, 'name' | 'role' | 'source' | 'file' | 'sha256' | 'bytes'>
  status: ModelFileStatus
}

/** A photo or thumbnail for a transport: a file to stream or bytes, its type and a (quoted) ETag. */
export interface MediaFile {
  file?: string
  body?: Buffer
  contentType: string
  etag: string
  /** The photo's content hash: a request naming (a prefix of) it may keep the answer for good. */
  version?: string
}

/** Everything the handlers (and the transports) use. */
export interface ApiServices {
  app: { info(): Promise<AppInfo> }
  models: {
    /** Absolute folder of the model pack. */
    packDir: string
    /** Reads the manifest and verifies every file; throws ApiError('pack-unavailable') without a pack. */
    check(): ModelCheck[]
  }
  library: { status(): LibraryStatus }
  folders: {
    add(path: string): Promise<{ folder: FolderEntry; jobId: number }>
    remove(path: string): Promise<{ removedPhotos: number }>
    rescan(path?: string): { jobId: number }
    /** The native folder dialog (Electron); throws ApiError('unsupported') where there is none. */
    pick(): Promise<string | null>
  }
  fs: { browse(path?: string): Promise<FolderListing> }
  photos: {
    list(request: ParsedRequest<'photos.list'>): PhotoCardPage
    count(filter: ParsedRequest<'photos.count'>['filter']): number
    get(id: number): PhotoDetail
    graph(id: number): Promise<PhotoGraphView>
    neighbours(request: ParsedRequest<'photos.neighbours'>): { previous: number | null; next: number | null }
  }
  search: {
    upload(name: string, base64: string): Promise<UploadedPhoto>
    run(request: ParsedRequest<'search.run'>): Promise<SearchResponse>
  }
  jobs: {
    list(): JobInfo[]
    cancel(id: number): Promise<JobInfo>
    problems(id: number | undefined, limit: number): JobProblem[]
  }
  settings: {
    get(): AppSettings
    set(patch: ParsedRequest<'settings.set'>): AppSettings
  }
  /** Correcting labels and boxes: every edit is on disk (and in the correction log) when it returns. */
  annotation: {
    get(photoId: number): PhotoAnnotationsView
    setLabel(request: ParsedRequest<'labels.set'>): EditReply
    addLabel(request: ParsedRequest<'labels.add'>): EditReply
    batch(request: ParsedRequest<'labels.batch'>): EditReply
    addBox(request: ParsedRequest<'boxes.add'>): EditReply
    updateBox(request: ParsedRequest<'boxes.update'>): EditReply
    deleteBox(request: ParsedRequest<'boxes.delete'>): EditReply
    review(request: ParsedRequest<'photos.review'>): EditReply
    undo(): EditReply
    redo(): EditReply
    state(): UndoState
    history(request: ParsedRequest<'edits.history'>): HistoryEntry[]
    queue(request: ParsedRequest<'review.queue'>): ReviewPage
    vocabulary(): VocabularyItem[]
    check(name: string): NameCheck
  }
  /** Import and export of labels and boxes, as jobs (their reports arrive in the job's detail). */
  interchange: {
    import(request: ParsedRequest<'interchange.import'>): { jobId: number }
    export(request: ParsedRequest<'interchange.export'>): { jobId: number }
  }
  /** Training the head and its versions (training and activation are jobs). */
  training: {
    start(request: ParsedRequest<'train.start'>): { jobId: number }
    heads(): HeadVersionInfo[]
    activate(id: string): { jobId: number }
    rollback(): { jobId: number }
  }
  /** Scenes found without scene labels, their co-occurrence, and the embedding map (computing is a job). */
  scenes: {
    get(): ScenesOverview
    compute(k?: number): { jobId: number }
    matrix(request: ParsedRequest<'scenes.matrix'>): CooccurrenceMatrix
    map(classId?: number): EmbeddingMap
    computeMap(): { jobId: number }
  }
  /** Pushed events: the transports subscribe once and carry every message to their clients. */
  events: { subscribe(listener: (message: ApiEventMessage) => void): () => void }
  /** Photos and thumbnails by photo id only (null: nothing to serve, answer 404). */
  media: { resolve(kind: MediaKind, photoId: number): Promise<MediaFile | null> }
}

/** The model pack's files checked against its manifest, as `models.list` reports them. */
export function packModels(packDir: string): ModelCheck[] {
  let results: ReturnType<typeof checkPack>
  try {
    results = checkPack(packDir)
  } catch (err) {
    // checkPack only throws when the manifest itself is missing or unreadable.
    throw new ApiError('pack-unavailable', err instanceof Error ? err.message : String(err))
  }
  return results.map(({ entry, status }) => ({ entry, status }))
}
