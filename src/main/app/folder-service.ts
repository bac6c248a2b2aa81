/**
 * The library's folders: adding one (checked, recorded, indexed by a job), removing one (its
 * photos leave the library — rows, vectors and thumbnails; the files on disk are never touched),
 * rescanning, and listing them with their photo counts. Folders never nest: a folder inside a
 * library folder is refused, a folder around library folders takes their place.
 */
import { accessSync, constants, rmSync, statSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import type { FolderEntry } from '../../shared/api-contract.js'
import { ApiError } from '../../shared/envelope.js'
import type { Library } from '../engine/library/library.js'
import { unindexPhoto } from '../engine/library/photo-job.js'
import { FolderRepository, folderPrefix } from '../engine/store/folder-repository.js'
import { previewPath } from '../engine/io/preview.js'
import { PhotoQueryRepository } from '../engine/store/photo-query-repository.js'
import type { PhotoStatusCounts } from '../engine/store/index.js'
import type { EventBus } from './event-bus.js'
import { titleFor, type JobManager } from './job-manager.js'

type FolderCounts = ReturnType<FolderRepository['counts']>

/** The whole library's counts. */
export interface LibraryCounts {
  photos: PhotoStatusCounts
  objects: number
}

/** Photos removed per batch (the event loop breathes between batches). */
const REMOVE_BATCH = 500

/**
 * While a job runs, folder counts are recounted at most this often (a count is a range scan of
 * the photos table: ~80 ms at 100,000 photos, and jobs change the library many times a second).
 */
export const COUNTS_MAX_AGE_MS = 2000

/** Counts older than this are recounted in the background when asked for (served meanwhile). */
const COUNTS_REFRESH_MS = 10_000

/** Delay between a change and the recount in the background (changes come in bursts). */
const RECOUNT_DELAY_MS = 150

/** `p` without a trailing separator (a filesystem root stays as it is). */
function trimSeparator(p: string): string {
  return p.length > path.parse(p).root.length ? p.replace(/[\\/]+$/, '') : p
}

/** Whether `inner` is `outer` or inside it. */
export function isUnder(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(folderPrefix(outer))
}

/** Whether a folder can be read now. */
function available(folder: string): boolean {
  try {
    if (!statSync(folder).isDirectory()) return false
    accessSync(folder, constants.R_OK | constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** Folders of one library. */
export class FolderService {
  readonly repo: FolderRepository
  /** Photo counts per folder path, valid until the library changes (see `list`). */
  private readonly counts = new Map<string, FolderCounts>()
  /** The whole library's counts (by status, and objects), cached like the folders'. */
  private libraryCounts: LibraryCounts | undefined
  private readonly query: PhotoQueryRepository
  private countsDirty = false
  private countedAt = 0
  /** The job that was running when the counts were taken (a new job always recounts). */
  private countedDuring: number | null = null
  private recount: ReturnType<typeof setTimeout> | undefined
  private readonly unsubscribe: () => void

  constructor(
    private readonly lib: Library,
    private readonly jobs: JobManager,
    private readonly events: EventBus,
  ) {
    this.repo = new FolderRepository(lib.store.db, Date.now)
    this.query = new PhotoQueryRepository(lib.store.db, Date.now)
    this.unsubscribe = events.subscribe(({ event }) => {
      if (event === 'library.changed' || event === 'job.updated') this.countsChanged()
    })
    this.countsChanged() // counted in the background right after start, before the first window asks
  }

  /**
   * Every folder with its counts. The counts are cached (`library.status` asks often, and one
   * count scans the folder's photos): recounted after a change (in the background, or here when
   * no job is running), at most every {@link COUNTS_MAX_AGE_MS} while a job keeps changing them.
   */
  list(): FolderEntry[] {
    this.expireCounts()
    return this.repo.list().map((f) => this.entry(f.path, f.addedAt))
  }

  /** The library's photos by status and its objects, cached like the folder counts (see `list`). */
  totals(): LibraryCounts {
    this.expireCounts()
    this.libraryCounts ??= { photos: this.lib.store.photos.statusCounts(), objects: this.query.objectTotal() }
    return this.libraryCounts
  }

  /** Stops following library changes (the service is being disposed). */
  dispose(): void {
    this.unsubscribe()
    clearTimeout(this.recount)
  }

  private countsChanged(): void {
    this.countsDirty = true
    this.scheduleRecount()
  }

  /** Recounts in the background soon (changes come in bursts: one recount for a burst). */
  private scheduleRecount(): void {
    if (this.recount !== undefined) return
    this.recount = setTimeout(() => {
      this.recount = undefined
      this.countsDirty = true
      try {
        this.list() // recounts now unless a job counted less than COUNTS_MAX_AGE_MS ago
        this.totals()
      } catch {
        // the library is closing: the next list() counts again
      }
    }, RECOUNT_DELAY_MS)
    this.recount.unref?.()
  }

  /** Folders came or went: every count is taken again at the next ask. */
  private forgetCounts(): void {
    this.counts.clear()
    this.libraryCounts = undefined
    this.countsChanged()
  }

  /** Drops counts the library has changed since, unless the running job counted them just now. */
  private expireCounts(): void {
    if (!this.countsDirty) {
      // a change no event told of (should there be one) shows within COUNTS_REFRESH_MS
      if (performance.now() - this.countedAt > COUNTS_REFRESH_MS) this.scheduleRecount()
      return
    }
    const job = this.jobs.active()?.id ?? null
    if (job !== null && job === this.countedDuring && performance.now() - this.countedAt < COUNTS_MAX_AGE_MS) return
    this.counts.clear()
    this.libraryCounts = undefined
    this.countsDirty = false
    this.countedAt = performance.now()
    this.countedDuring = job
  }

  /** The library folder holding `file`, if any. */
  folderOf(file: string): string | undefined {
    return this.repo.list().find((f) => isUnder(file, f.path) && file !== f.path)?.path
  }

  /**
   * Adds folders indexed before the app knew about them (by `constella index`): the roots of
   * earlier index runs that hold library photos and are not under a folder yet.
   */
  adoptIndexedRoots(): void {
    const roots = new Set(this.lib.store.runs.list(1000, 'index').flatMap((r) => (r.args.roots as string[] | undefined) ?? []))
    for (const root of [...roots].sort((a, b) => a.length - b.length)) {
      const folder = trimSeparator(root)
      if (this.repo.list().some((f) => isUnder(folder, f.path))) continue
      if (this.repo.counts(folder).total > 0 && statSync(folder, { throwIfNoEntry: false })?.isDirectory()) this.record(folder)
    }
  }

  /** Checks and records a folder, then queues a job that indexes it. */
  async add(input: string): Promise<{ folder: FolderEntry; jobId: number }> {
    const folder = await this.checkNew(input)
    const known = this.repo.get(folder)
    const addedAt = known ? known.addedAt : this.record(folder).addedAt
    const job = this.jobs.enqueueIndex([folder], titleFor([folder]))
    this.events.emit('library.changed', { reason: 'folders' })
    return { folder: this.entry(folder, addedAt), jobId: job.id }
  }

  /** Removes a folder and its photos from the library (the files stay where they are). */
  async remove(input: string): Promise<{ removedPhotos: number }> {
    const folder = trimSeparator(input)
    if (!this.repo.get(folder)) throw new ApiError('not-found', `${folder} is not a folder of this library`)
    await this.jobs.stopFolder(folder)
    this.repo.remove(folder)
    this.forgetCounts()
    const removed: number[] = []
    for (;;) {
      const batch = this.repo.photosUnder(folder, REMOVE_BATCH)
      if (batch.length === 0) break
      for (const p of batch) unindexPhoto(this.lib, p.id)
      this.repo.deletePhotos(batch.map((p) => p.id))
      for (const p of batch) if (p.thumbnail && !this.repo.contentInUse(p.contentHash)) this.removeThumbnail(p.thumbnail, p.contentHash)
      removed.push(...batch.map((p) => p.id))
      await new Promise((r) => setImmediate(r))
    }
    this.lib.indexes.save()
    this.events.emit('library.changed', { reason: 'removed', ...(removed.length <= 1000 ? { photoIds: removed } : {}) })
    return { removedPhotos: removed.length }
  }

  /** Queues a job that indexes one folder (or every folder) again. */
  rescan(input?: string): { jobId: number } {
    const folders = input === undefined ? this.repo.list().map((f) => f.path) : [trimSeparator(input)]
    if (folders.length === 0) throw new ApiError('bad-request', 'the library has no folder yet: add one first')
    for (const f of folders) if (!this.repo.get(f)) throw new ApiError('not-found', `${f} is not a folder of this library`)
    return { jobId: this.jobs.enqueueIndex(folders, titleFor(folders, 'Rescanning')).id }
  }

  private record(folder: string): { addedAt: number } {
    for (const inner of this.repo.list()) if (isUnder(inner.path, folder)) this.repo.remove(inner.path)
    this.forgetCounts()
    return this.repo.add(folder)
  }

  /** The absolute, existing, readable folder `input` names, not inside a library folder. */
  private async checkNew(input: string): Promise<string> {
    if (!path.isAbsolute(input)) throw new ApiError('bad-request', `give the full path of the folder (e.g. ${path.join(path.parse(process.cwd()).root, 'home', 'ann', 'Pictures')}), not "${input}"`)
    const folder = trimSeparator(path.resolve(input))
    const info = statSync(folder, { throwIfNoEntry: false })
    if (!info) throw new ApiError('not-found', `there is no folder ${folder}`)
    if (!info.isDirectory()) throw new ApiError('bad-request', `${folder} is a file, not a folder: add the folder that holds it`)
    try {
      await readdir(folder)
    } catch (err) {
      throw new ApiError('bad-request', `cannot read the folder ${folder} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): give the account running Constella read access to it`)
    }
    const outer = this.repo.list().find((f) => f.path !== folder && isUnder(folder, f.path))
    if (outer) throw new ApiError('bad-request', `${folder} is already in the library: it is inside the library folder ${outer.path}`)
    const libraryDir = path.resolve(this.lib.paths.dir)
    const inside = path.relative(folder, libraryDir)
    const holdsLibrary = !inside.startsWith('..') && !path.isAbsolute(inside) && !inside.split(path.sep).some((s) => s.startsWith('.'))
    if (isUnder(folder, libraryDir) || holdsLibrary) {
      throw new ApiError('bad-request', `${folder} holds the library's own files (${libraryDir}): add the folders with your photos instead`)
    }
    return folder
  }

  private entry(folder: string, addedAt: number): FolderEntry {
    let c = this.counts.get(folder)
    if (!c) {
      c = this.repo.counts(folder)
      this.counts.set(folder, c)
    }
    return { path: folder, photos: c.total, indexed: c.indexed, failed: c.failed, available: available(folder), addedAt }
  }

  /** Removes a thumbnail and the preview beside it (both only inside the library's thumbs folder). */
  private removeThumbnail(file: string, contentHash: string): void {
    const thumbs = path.resolve(this.lib.paths.thumbsDir)
    if (isUnder(path.resolve(file), thumbs)) rmSync(file, { force: true })
    rmSync(previewPath(thumbs, contentHash), { force: true })
  }
}
