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
import { ApiError } from '../../shared/envelope.js'

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
