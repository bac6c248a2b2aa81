/**
 * Photos: one row per path, with the content hash that recognises moved and duplicated files,
 * the indexing status and error, and the cached thumbnail.
 */
import { sep } from 'node:path'
import { RepositoryBase } from './repository-base.js'
import type { PhotoRecord, PhotoStatus, ScanOutcome, ScannedFile } from './types.js'

interface PhotoRow {
  id: number
  path: string
  content_hash: string
  bytes: number
  mtime_ms: number
  width: number | null
  height: number | null
  format: string | null
  status: PhotoStatus
  error: string | null
  thumbnail: string | null
  indexed_at: number | null
  run_id: number | null
}

function toRecord(r: PhotoRow): PhotoRecord {
  return {
    id: r.id, path: r.path, contentHash: r.content_hash, bytes: r.bytes, mtimeMs: r.mtime_ms,
    width: r.width, height: r.height, format: r.format, status: r.status, error: r.error,
    thumbnail: r.thumbnail, indexedAt: r.indexed_at, runId: r.run_id,
  }
}

/** The path prefix of everything under folder `root` ('' for everything). */
const underPrefix = (root?: string): string =>
  root === undefined ? '' : root.endsWith(sep) || root.endsWith('/') ? root : root + sep

/** What a decoded photo is, saved when it is indexed. */
export interface PhotoMetadata {
  width: number
  height: number
  format: string
  thumbnail?: string | null
}

/** Count of photos per status, and the total. */
export type PhotoStatusCounts = Record<PhotoStatus, number> & { total: number }

/** Reads and writes the `photos` table. Writes that span tables belong to `LibraryStore`. */
export class PhotoRepository extends RepositoryBase {
  /** The photo with this id. */
  get(id: number): PhotoRecord | undefined {
    const row = this.sql('SELECT * FROM photos WHERE id = ?').get(id) as PhotoRow | undefined
    return row && toRecord(row)
  }

  /** The photo at this path (lets a scan skip hashing when size and mtime are unchanged). */
  findByPath(path: string): PhotoRecord | undefined {
    const row = this.sql('SELECT * FROM photos WHERE path = ?').get(path) as PhotoRow | undefined
    return row && toRecord(row)
  }

  /** Photos with these bytes, indexed ones first. */
  findByHash(contentHash: string): PhotoRecord[] {
    const rows = this.sql("SELECT * FROM photos WHERE content_hash = ? ORDER BY status = 'indexed' DESC, id")
      .all(contentHash) as PhotoRow[]
    return rows.map(toRecord)
  }

  /**
   * Low level: records a scanned file in the photos table only; use `LibraryStore.recordScan`,
   * which also clears or copies analyses. Same path: unchanged or modified (back to pending). New path whose content
   * belongs to a photo whose file `isGone`: moved (row keeps its id and analysis). Otherwise a
   * new pending row: "duplicate" if another photo has the same content.
   */
  upsertScanned(file: ScannedFile, runId: number, isGone: (path: string) => boolean): ScanOutcome {
    const existing = this.findByPath(file.path)
    if (existing) {
      if (existing.contentHash === file.contentHash) {
        this.sql('UPDATE photos SET run_id = ?, bytes = ?, mtime_ms = ? WHERE id = ?')
          .run(runId, file.bytes, file.mtimeMs, existing.id)
        return { change: 'unchanged', photo: this.get(existing.id)! }
      }
      this.sql(`UPDATE photos SET content_hash = ?, bytes = ?, mtime_ms = ?, run_id = ?, status = 'pending',
        error = NULL, width = NULL, height = NULL, format = NULL, thumbnail = NULL, indexed_at = NULL WHERE id = ?`)
        .run(file.contentHash, file.bytes, file.mtimeMs, runId, existing.id)
      return { change: 'modified', photo: this.get(existing.id)! }
    }
    const twins = this.findByHash(file.contentHash)
    const moved = twins.find((t) => isGone(t.path))
    if (moved) {
      this.sql('UPDATE photos SET path = ?, bytes = ?, mtime_ms = ?, run_id = ? WHERE id = ?')
        .run(file.path, file.bytes, file.mtimeMs, runId, moved.id)
      return { change: 'moved', photo: this.get(moved.id)!, previousPath: moved.path }
    }
    const info = this.sql('INSERT INTO photos (path, content_hash, bytes, mtime_ms, run_id) VALUES (?, ?, ?, ?, ?)')
      .run(file.path, file.contentHash, file.bytes, file.mtimeMs, runId)
    const photo = this.get(Number(info.lastInsertRowid))!
    return twins.length > 0 ? { change: 'duplicate', photo, duplicateOf: twins[0].id } : { change: 'new', photo }
  }

  /** Marks a photo as seen by `runId` without rehashing it (size and mtime unchanged). */
  markSeen(id: number, runId: number): void {
    this.sql('UPDATE photos SET run_id = ? WHERE id = ?').run(runId, id)
  }

  /** Marks a photo indexed with what decoding found. Use `LibraryStore.saveAnalysis` to save results. */
  markIndexed(id: number, meta: PhotoMetadata): void {
    this.sql(`UPDATE photos SET status = 'indexed', error = NULL, width = ?, height = ?, format = ?,
      thumbnail = coalesce(?, thumbnail), indexed_at = ? WHERE id = ?`)
      .run(meta.width, meta.height, meta.format, meta.thumbnail ?? null, this.now(), id)
  }

  /** Marks a photo failed with a reason the user can read (e.g. "HEIC is not supported"). */
  markFailed(id: number, error: string): void {
    this.sql("UPDATE photos SET status = 'failed', error = ?, indexed_at = ? WHERE id = ?")
      .run(error.length > 0 ? error : 'unknown error', this.now(), id)
  }

  /** Sends every failed photo back to pending (e.g. after a decoder was added); returns how many. */
  retryFailed(): number {
    return this.sql("UPDATE photos SET status = 'pending', error = NULL WHERE status = 'failed'").run().changes
  }

  /** Records the cached thumbnail's path. */
  setThumbnail(id: number, thumbnail: string | null): void {
    this.sql('UPDATE photos SET thumbnail = ? WHERE id = ?').run(thumbnail, id)
  }

  /** Up to `limit` pending photos with id > `afterId`, in id order (page with the last id). */
  listPending(limit = 100, afterId = 0): PhotoRecord[] {
    const rows = this.sql("SELECT * FROM photos WHERE status = 'pending' AND id > ? ORDER BY id LIMIT ?")
      .all(afterId, limit) as PhotoRow[]
    return rows.map(toRecord)
  }

  /** Photos under `root` (all photos if omitted) that run `runId` did not see, in id order (what `pruneUnseen` would delete). */
  listUnseen(runId: number, root?: string): PhotoRecord[] {
    const prefix = underPrefix(root)
    const rows = this.sql('SELECT * FROM photos WHERE run_id IS NOT ? AND substr(path, 1, ?) = ? ORDER BY id')
      .all(runId, prefix.length, prefix) as PhotoRow[]
    return rows.map(toRecord)
  }

  /**
   * Deletes photos under `root` (all photos if omitted) that run `runId` did not see, with
   * their objects, labels and vectors (the label history is kept). Returns the deleted ids.
   */
  pruneUnseen(runId: number, root?: string): number[] {
    const prefix = underPrefix(root)
    return this.db.transaction(() => {
      const ids = (this.sql('SELECT id FROM photos WHERE run_id IS NOT ? AND substr(path, 1, ?) = ? ORDER BY id')
        .all(runId, prefix.length, prefix) as { id: number }[]).map((r) => r.id)
      const del = this.sql('DELETE FROM photos WHERE id = ?')
      for (const id of ids) del.run(id)
      return ids
    })()
  }

  /** How many photos are pending, indexed and failed. */
  statusCounts(): PhotoStatusCounts {
    const counts: PhotoStatusCounts = { pending: 0, indexed: 0, failed: 0, total: 0 }
    const rows = this.sql('SELECT status, count(*) AS n FROM photos GROUP BY status').all() as { status: PhotoStatus; n: number }[]
    for (const r of rows) {
      counts[r.status] = r.n
      counts.total += r.n
    }
    return counts
  }
}
