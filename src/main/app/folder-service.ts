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
import type { EventBus } from './event-bus.js'
import { titleFor, type JobManager } from './job-manager.js'

/** Photos removed per batch (the event loop breathes between batches). */
const REMOVE_BATCH = 500

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

  constructor(
    private readonly lib: Library,
    private readonly jobs: JobManager,
    private readonly events: EventBus,
  ) {
    this.repo = new FolderRepository(lib.store.db, Date.now)
  }

  /** Every folder with its counts. */
  list(): FolderEntry[] {
    return this.repo.list().map((f) => this.entry(f.path, f.addedAt))
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
    const removed: number[] = []
    for (;;) {
      const batch = this.repo.photosUnder(folder, REMOVE_BATCH)
      if (batch.length === 0) break
      for (const p of batch) unindexPhoto(this.lib, p.id)
      this.repo.deletePhotos(batch.map((p) => p.id))
      for (const p of batch) if (p.thumbnail && !this.repo.contentInUse(p.contentHash)) this.removeThumbnail(p.thumbnail)
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
    const c = this.repo.counts(folder)
    return { path: folder, photos: c.total, indexed: c.indexed, failed: c.failed, available: available(folder), addedAt }
  }

  private removeThumbnail(file: string): void {
    if (isUnder(path.resolve(file), path.resolve(this.lib.paths.thumbsDir))) rmSync(file, { force: true })
  }
}
