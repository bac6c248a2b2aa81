/**
 * The library's folders (migration 002) and the photos under each: counts by status, and the
 * removal of a folder's photos (rows only — files on disk are never touched).
 */
import path from 'node:path'
import { RepositoryBase } from './repository-base.js'
import type { PhotoStatus } from './types.js'

/** A folder the user added. */
export interface FolderRecord {
  path: string
  addedAt: number
}

/** `folder` with a trailing separator: the prefix of the paths under it. */
export function folderPrefix(folder: string): string {
  return /[\\/]$/.test(folder) ? folder : folder + path.sep
}

/** Reads and writes `folders`, and the photos under a folder. */
export class FolderRepository extends RepositoryBase {
  /** Every folder, by path. */
  list(): FolderRecord[] {
    return (this.sql('SELECT path, added_at FROM folders ORDER BY path').all() as { path: string; added_at: number }[])
      .map((r) => ({ path: r.path, addedAt: r.added_at }))
  }

  /** One folder. */
  get(folder: string): FolderRecord | undefined {
    const r = this.sql('SELECT path, added_at FROM folders WHERE path = ?').get(folder) as { path: string; added_at: number } | undefined
    return r && { path: r.path, addedAt: r.added_at }
  }

  /** Records a folder (no-op if known); returns it. */
  add(folder: string): FolderRecord {
    this.sql('INSERT INTO folders (path, added_at) VALUES (?, ?) ON CONFLICT (path) DO NOTHING').run(folder, this.now())
    return this.get(folder)!
  }

  /** Forgets a folder (its photos are removed separately). */
  remove(folder: string): boolean {
    return this.sql('DELETE FROM folders WHERE path = ?').run(folder).changes > 0
  }

  /** Photos under `folder`, by status. */
  counts(folder: string): Record<PhotoStatus, number> & { total: number } {
    const prefix = folderPrefix(folder)
    const r = this.sql(`SELECT count(*) AS total, total(status = 'indexed') AS indexed, total(status = 'failed') AS failed
      FROM photos WHERE path > ? AND path < ?`).get(prefix, upperBound(prefix)) as { total: number; indexed: number; failed: number }
    return { total: r.total, indexed: r.indexed, failed: r.failed, pending: r.total - r.indexed - r.failed }
  }

  /** Up to `limit` ids (and content hashes) of photos under `folder`. */
  photosUnder(folder: string, limit: number): { id: number; contentHash: string; thumbnail: string | null }[] {
    const prefix = folderPrefix(folder)
    return (this.sql('SELECT id, content_hash, thumbnail FROM photos WHERE path > ? AND path < ? LIMIT ?')
      .all(prefix, upperBound(prefix), limit) as { id: number; content_hash: string; thumbnail: string | null }[])
      .map((r) => ({ id: r.id, contentHash: r.content_hash, thumbnail: r.thumbnail }))
  }

  /** Deletes photos with their objects, labels and vectors (the label history stays). */
  deletePhotos(ids: readonly number[]): number {
    return this.db.transaction(() => {
      const del = this.sql('DELETE FROM photos WHERE id = ?')
      return ids.reduce((n, id) => n + del.run(id).changes, 0)
    })()
  }

  /** Whether any photo still has this content (so its thumbnail is still used). */
  contentInUse(contentHash: string): boolean {
    return this.sql('SELECT 1 FROM photos WHERE content_hash = ? LIMIT 1').get(contentHash) !== undefined
  }
}

/** The smallest string greater than every string that starts with `prefix`. */
export function upperBound(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)
}
