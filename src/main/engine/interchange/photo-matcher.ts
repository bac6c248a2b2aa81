/**
 * Which library photo a ground-truth record names: its absolute path if the record has one and
 * the library holds it; else the photos whose path ends with the record's relative path (any
 * folder above it), and failing that, with its file name alone. YOLO names photos by their path
 * without the extension. More than one candidate is ambiguous and is reported, never guessed.
 */
import type { LibraryDb } from '../store/database.js'

/** A library photo as import needs it. */
export interface MatchedPhoto {
  id: number
  path: string
  width: number | null
  height: number | null
}

/** The outcome of matching one record. */
export type MatchResult = { photo: MatchedPhoto } | { problem: 'unmatched' | 'ambiguous'; candidates: string[] }

const slash = (p: string): string => p.replace(/\\/g, '/')

/** Matches records to the photos of one library. */
export class PhotoMatcher {
  private readonly byPath
  private readonly byName
  private readonly byStem

  constructor(db: LibraryDb) {
    this.byPath = db.prepare('SELECT id, path, width, height FROM photos WHERE path = ?')
    this.byName = db.prepare('SELECT id, path, width, height FROM photos WHERE name = ?')
    // names "<stem>.<ext>" lie between "<stem>." and "<stem>/" ('/' follows '.'), on the photos_name index
    this.byStem = db.prepare('SELECT id, path, width, height FROM photos WHERE name >= ? AND name < ?')
  }

  /** The photo named by `file` (a relative path or file name; without extension when `stemOnly`), or why none. */
  match(record: { file: string; path?: string; stemOnly?: boolean }): MatchResult {
    if (record.path) {
      const exact = this.byPath.get(record.path) as MatchedPhoto | undefined
      if (exact) return { photo: exact }
    }
    const rel = slash(record.file).replace(/^\.?\//, '')
    const base = rel.slice(rel.lastIndexOf('/') + 1)
    const candidates = (record.stemOnly ? this.byStem.all(`${base}.`, `${base}/`) : this.byName.all(base)) as MatchedPhoto[]
    const stemOf = (p: string): string => (record.stemOnly ? p.replace(/\.[^./]*$/, '') : p)
    const endsWith = (suffix: string, caseSensitive: boolean) => candidates.filter((c) => {
      const p = stemOf(slash(c.path))
      const s = `/${suffix}`
      return caseSensitive ? p.endsWith(s) : p.toLowerCase().endsWith(s.toLowerCase())
    })
    for (const found of [endsWith(rel, true), endsWith(rel, false), rel === base ? [] : endsWith(base, true)]) {
      if (found.length === 1) return { photo: found[0] }
      if (found.length > 1) return { problem: 'ambiguous', candidates: found.map((c) => c.path) }
    }
    return { problem: 'unmatched', candidates: [] }
  }
}
