/**
 * Reading a library for export a page of photos at a time (keyset on photo id), each photo with
 * its label rows and boxes, so an export of any size holds one page in memory. Also the folder
 * every photo lies under, which export file names are relative to.
 */
import path from 'node:path'
import { AnnotationRepository, type LabelRow, type StoredBox } from '../store/annotation-repository.js'
import type { LibraryDb } from '../store/database.js'

/** One photo with what export writes of it. */
export interface ExportPhoto {
  id: number
  path: string
  /** The path relative to the library's common folder, with '/' separators. */
  file: string
  width: number | null
  height: number | null
  reviewedAt: number | null
  labels: LabelRow[]
  boxes: StoredBox[]
}

/** The deepest folder holding every photo ('' for none or for photos on different roots). */
export function commonFolder(db: LibraryDb, pageSize = 5000): string {
  let common: string[] | undefined
  let after = 0
  const page = db.prepare('SELECT id, path FROM photos WHERE id > ? ORDER BY id LIMIT ?')
  for (;;) {
    const rows = page.all(after, pageSize) as { id: number; path: string }[]
    for (const r of rows) {
      const parts = path.dirname(r.path).split(path.sep)
      if (!common) common = parts
      else {
        let k = 0
        while (k < common.length && k < parts.length && common[k] === parts[k]) k++
        common.length = k
      }
    }
    if (rows.length < pageSize) break
    after = rows[rows.length - 1].id
  }
  return common ? common.join(path.sep) : ''
}

/** A photo's path relative to `root`, '/'-separated (its file name when `root` is ''). */
export function relativeFile(root: string, p: string): string {
  const rel = root ? path.relative(root, p) : path.basename(p)
  return (rel.startsWith('..') ? p : rel).split(path.sep).join('/')
}

/** Number of photos in the library. */
export function photoCount(db: LibraryDb): number {
  return db.prepare('SELECT count(*) FROM photos').pluck().get() as number
}

/** Every photo, by id, in pages of `pageSize` read one at a time. */
export function* photoPages(db: LibraryDb, root: string, pageSize = 500): Generator<ExportPhoto[]> {
  const repo = new AnnotationRepository(db, Date.now)
  const page = db.prepare('SELECT id, path, width, height, reviewed_at AS reviewedAt FROM photos WHERE id > ? ORDER BY id LIMIT ?')
  let after = 0
  for (;;) {
    const rows = page.all(after, pageSize) as Omit<ExportPhoto, 'file' | 'labels' | 'boxes'>[]
    if (rows.length === 0) return
    yield rows.map((r) => ({ ...r, file: relativeFile(root, r.path), labels: repo.labelRows(r.id), boxes: repo.photoBoxes(r.id) }))
    if (rows.length < pageSize) return
    after = rows[rows.length - 1].id
  }
}
