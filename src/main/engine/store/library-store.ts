/**
 * The library store: owns the one SQLite connection of a library (the single writer, or a
 * read-only reader beside it) and exposes the repositories, transactions, and the multi-table
 * writes of indexing. Every transaction begins IMMEDIATE (see database.ts).
 */
import { resolve } from 'node:path'
import { openLibraryDb, type LibraryDb, type OpenLibraryDbOptions } from './database.js'
import { EmbeddingRepository } from './embedding-repository.js'
import { LabelRepository } from './label-repository.js'
import { ModelVersionRepository } from './model-version-repository.js'
import { ObjectRepository } from './object-repository.js'
import { copyAnalysis, clearAnalysis, writeAnalysis, type PhotoAnalysis } from './photo-analysis.js'
import { PhotoRepository } from './photo-repository.js'
import { RunRepository } from './run-repository.js'
import type { ScanOutcome, ScannedFile } from './types.js'

/** Options of `LibraryStore.open`. */
export interface LibraryStoreOptions extends OpenLibraryDbOptions {
  /** Clock for stored times (tests pin it); default `Date.now`. */
  now?: () => number
}

const openFiles = new Set<string>()

/** One open library. Not safe to share across processes: one process owns it and serves the others. */
export class LibraryStore {
  readonly photos: PhotoRepository
  readonly objects: ObjectRepository
  readonly labels: LabelRepository
  readonly embeddings: EmbeddingRepository
  readonly runs: RunRepository
  readonly models: ModelVersionRepository
  private closed = false

  private constructor(
    /** The connection, for repositories added in this folder (e.g. scene clusters). */
    readonly db: LibraryDb,
    /** The database file (resolved), or ":memory:". */
    readonly file: string,
    now: () => number,
    /** Opened with `readOnly`: every write throws (SQLITE_READONLY). */
    readonly readOnly = false,
  ) {
    this.photos = new PhotoRepository(db, now)
    this.objects = new ObjectRepository(db, now)
    this.labels = new LabelRepository(db, now)
    this.embeddings = new EmbeddingRepository(db, now)
    this.runs = new RunRepository(db, now)
    this.models = new ModelVersionRepository(db, now)
  }

  /**
   * Opens (creating and migrating if needed) the library database at `file`. Throws a
   * `LibraryDbError` for a file that is not a library or is from a newer Constella, and an
   * Error if this process already has the file open (there is one writer).
   */
  static open(file: string, options: LibraryStoreOptions = {}): LibraryStore {
    const key = file === ':memory:' ? file : resolve(file)
    if (options.readOnly) return new LibraryStore(openLibraryDb(key, options), key, options.now ?? Date.now, true)
    if (key !== ':memory:' && openFiles.has(key)) throw new Error(`${key} is already open in this process`)
    const store = new LibraryStore(openLibraryDb(key, options), key, options.now ?? Date.now)
    if (key !== ':memory:') openFiles.add(key)
    return store
  }

  /** Runs `fn` in one transaction (nested calls become savepoints); rolled back if it throws. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)()
  }

  /**
   * Records a file found by a scan of run `runId`, in one transaction: a modified photo loses
   * its model analysis (back to pending), a moved one keeps everything, and a duplicate of an
   * indexed photo gets a copy of its analysis (indexed at once). `isGone(path)` tells whether
   * a known path no longer exists on disk. Photos whose outcome has status "pending" need
   * analysis; an unchanged failed photo stays failed until `photos.retryFailed()`.
   */
  recordScan(file: ScannedFile, runId: number, isGone: (path: string) => boolean): ScanOutcome {
    return this.transaction(() => {
      const outcome = this.photos.upsertScanned(file, runId, isGone)
      if (outcome.change === 'modified') clearAnalysis(this.db, outcome.photo.id)
      if (outcome.change === 'duplicate' && outcome.duplicateOf !== undefined) {
        if (this.photos.get(outcome.duplicateOf)?.status === 'indexed') {
          copyAnalysis(this.db, outcome.duplicateOf, outcome.photo.id)
          return { ...outcome, photo: this.photos.get(outcome.photo.id)! }
        }
        return { change: 'duplicate', photo: outcome.photo }
      }
      return outcome
    })
  }

  /**
   * Saves one photo's analysis atomically: its detector objects (and their vectors), model
   * labels and photo vectors are replaced and the photo becomes "indexed" — or, if anything
   * throws or the process dies first, nothing changes and the photo stays pending.
   */
  saveAnalysis(photoId: number, analysis: PhotoAnalysis): void {
    this.transaction(() => writeAnalysis(this, photoId, analysis))
  }

  /** Marks a photo failed with a reason for the user; its previous analysis is cleared. */
  saveFailure(photoId: number, error: string): void {
    this.transaction(() => {
      clearAnalysis(this.db, photoId)
      this.photos.markFailed(photoId, error)
    })
  }

  /**
   * Sends photos back to pending with their model analysis cleared, so that the next index run
   * analyses them again (e.g. a stored vector was found damaged). Returns how many changed.
   */
  requeuePhotos(photoIds: Iterable<number>): number {
    return this.transaction(() => {
      let n = 0
      for (const id of photoIds) {
        clearAnalysis(this.db, id)
        n += this.db.prepare("UPDATE photos SET status = 'pending', error = NULL WHERE id = ?").run(id).changes
      }
      return n
    })
  }

  /** SQLite's integrity and foreign key checks: empty if all is well, else the problems found. */
  check(): string[] {
    const integrity = (this.db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check)
    const problems = integrity.length === 1 && integrity[0] === 'ok' ? [] : integrity
    for (const v of this.db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[]) {
      problems.push(`${v.table} row ${v.rowid} points to a missing ${v.parent} row`)
    }
    return problems
  }

  /** Checkpoints the WAL into the database file and closes the connection. Idempotent. */
  close(): void {
    if (this.closed) return
    this.closed = true
    if (this.readOnly) return void this.db.close()
    openFiles.delete(this.file)
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)')
    } finally {
      this.db.close()
    }
  }
}
