/**
 * The photo grid's queries: keyset pages over (sort key, id) with an opaque cursor, offset jumps,
 * counts, and the photos before and after one, under the grid's filters. Each order walks its own
 * index (`INDEXED BY`, migration 002) and every filter is checked row by row on that walk, so a
 * page costs the rows it reads — never a sort of the whole table — at 100,000 photos as at 10.
 */
import { folderPrefix, upperBound } from './folder-repository.js'
import { RepositoryBase } from './repository-base.js'
import type { LabelState, PhotoStatus } from './types.js'

/** IoU at or above which two detector boxes of a photo are one physical object (as migration 002 counts). */
export const OBJECT_GROUP_IOU = 0.7

/** Which photos a grid shows; absent fields do not filter. */
export interface PhotoQueryFilter {
  /** Photos whose effective label (human over model) of every one of these classes is `labelState`. */
  labels?: number[]
  /** Default 'positive'. 'unknown' also matches a class without any label row. */
  labelState?: LabelState
  minObjects?: number
  maxObjects?: number
  status?: PhotoStatus
  /** Photos under this folder (any depth). */
  folder?: string
  /** Case-insensitive (ASCII) substring of the file name. */
  text?: string
  /** Photos assigned to this scene (migration 005 `scene_assignments`). */
  scene?: number
  /** Only these photos. */
  ids?: number[]
}

/** Grid orders: 'added' (id), 'name' (file name, case-insensitive), 'objects' (object count), 'indexed' (time). */
export type PhotoSortKey = 'added' | 'name' | 'objects' | 'indexed'

/** A grid order; ties are broken by id in the same direction. */
export interface PhotoSort {
  key: PhotoSortKey
  order: 'asc' | 'desc'
}

/** One photo as the grid shows it. */
export interface PhotoGridRow {
  id: number
  path: string
  name: string
  width: number | null
  height: number | null
  status: PhotoStatus
  error: string | null
  objectCount: number
  indexedAt: number | null
  contentHash: string
  /** A thumbnail was made (not yet for a photo that waits to be indexed the first time). */
  hasThumbnail: boolean
}

/** A page and where the next one starts. */
export interface PhotoGridPage {
  rows: PhotoGridRow[]
  /** Opaque; null after the last page. */
  nextCursor: string | null
  /** Offset of the first row in the whole ordered list. */
  offset: number
}

/** A cursor that does not belong to this order (or is not a cursor). */
export class PhotoCursorError extends Error {
  override readonly name = 'PhotoCursorError'
}

const KEY_SQL: Record<PhotoSortKey, { expr: string; index: string }> = {
  added: { expr: 'p.id', index: 'NOT INDEXED' },
  name: { expr: 'p.name', index: 'INDEXED BY photos_name' },
  objects: { expr: 'p.object_count', index: 'INDEXED BY photos_objects' },
  indexed: { expr: 'ifnull(p.indexed_at, 0)', index: 'INDEXED BY photos_indexed_at' },
}

const COLUMNS = 'p.id, p.path, p.name, p.width, p.height, p.status, p.error, p.object_count, p.indexed_at, p.content_hash, p.thumbnail IS NOT NULL AS has_thumbnail'

interface Position {
  key: string | number
  id: number
}

interface CursorBody extends Position {
  s: string
  o: number
}

const signature = (sort: PhotoSort): string => `${sort.key}:${sort.order}`

function encodeCursor(sort: PhotoSort, at: Position, offset: number): string {
  return Buffer.from(JSON.stringify({ s: signature(sort), key: at.key, id: at.id, o: offset })).toString('base64url')
}

function decodeCursor(cursor: string, sort: PhotoSort): CursorBody {
  let body: Partial<CursorBody>
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorBody>
  } catch {
    throw new PhotoCursorError('the cursor is not one this app made')
  }
  if (body.s !== signature(sort)) throw new PhotoCursorError(`the cursor belongs to another order (${String(body.s)}), not ${signature(sort)}`)
  if (!Number.isInteger(body.id) || !Number.isInteger(body.o) || (typeof body.key !== 'string' && typeof body.key !== 'number')) {
    throw new PhotoCursorError('the cursor is damaged')
  }
  return body as CursorBody
}

/**
 * SQL: the effective label (human row, else model row) of class `?` of photo p is in `states`.
 * The unary `+` keeps SQLite on the primary key (photo_id, class_id, source): a probe per photo,
 * never a walk of every label of the class through `labels_class_state`.
 */
const effectiveIn = (states: string): string => `EXISTS (SELECT 1 FROM labels l WHERE l.photo_id = p.id AND l.class_id = ?
  AND +l.state IN (${states}) AND (+l.source = 'human' OR NOT EXISTS (
    SELECT 1 FROM labels h WHERE h.photo_id = p.id AND h.class_id = l.class_id AND h.source = 'human')))`

/** The WHERE terms of a filter and their parameters. */
function filterSql(filter: PhotoQueryFilter): { terms: string[]; params: unknown[] } {
  const terms: string[] = []
  const params: unknown[] = []
  const state = filter.labelState ?? 'positive'
  for (const classId of filter.labels ?? []) {
    terms.push(state === 'unknown' ? `NOT ${effectiveIn("'positive', 'negative'")}` : effectiveIn('?'))
    params.push(classId, ...(state === 'unknown' ? [] : [state]))
  }
  const add = (term: string, ...values: unknown[]) => {
    terms.push(term)
    params.push(...values)
  }
  if (filter.minObjects !== undefined) add('p.object_count >= ?', filter.minObjects)
  if (filter.maxObjects !== undefined) add('p.object_count <= ?', filter.maxObjects)
  if (filter.status !== undefined) add('p.status = ?', filter.status)
  if (filter.folder !== undefined) {
    const prefix = folderPrefix(filter.folder)
    add('p.path > ? AND p.path < ?', prefix, upperBound(prefix))
  }
  if (filter.text) add('instr(lower(p.name), lower(?)) > 0', filter.text)
  // a probe of the assignment's primary key per photo walked (scene_assignments.photo_id)
  if (filter.scene !== undefined) add('EXISTS (SELECT 1 FROM scene_assignments s WHERE s.photo_id = p.id AND s.scene = ?)', filter.scene)
  if (filter.ids !== undefined) add('p.id IN (SELECT value FROM json_each(?))', JSON.stringify(filter.ids))
  return { terms, params }
}

const toRow = (r: Record<string, unknown>): PhotoGridRow => ({
  id: r.id as number, path: r.path as string, name: r.name as string, width: r.width as number | null,
  height: r.height as number | null, status: r.status as PhotoStatus, error: r.error as string | null,
  objectCount: r.object_count as number, indexedAt: r.indexed_at as number | null, contentHash: (r.content_hash as string | null) ?? '',
  hasThumbnail: r.has_thumbnail === 1,
})

/** Read-only queries of the grid over `photos` and `labels`. */
export class PhotoQueryRepository extends RepositoryBase {
  /**
   * One page in `sort` order: after `cursor` (a previous page's `nextCursor`), else from `offset`
   * (a jump), else from the start. Throws `PhotoCursorError` for a cursor of another order.
   */
  page(options: { filter?: PhotoQueryFilter; sort: PhotoSort; cursor?: string; offset?: number; limit: number }): PhotoGridPage {
    const { sort, limit } = options
    const filter = filterSql(options.filter ?? {})
    let from: { at: Position; inclusive: boolean } | undefined
    let offset = 0
    if (options.cursor) {
      const body = decodeCursor(options.cursor, sort)
      from = { at: body, inclusive: false }
      offset = body.o
    } else if (options.offset) {
      const at = this.walk(filter, sort, undefined, 1, options.offset, true)[0]
      if (!at) return { rows: [], nextCursor: null, offset: options.offset }
      from = { at: { key: at.k as string | number, id: at.id as number }, inclusive: true }
      offset = options.offset
    }
    const raw = this.walk(filter, sort, from, limit + 1, 0, false)
    const more = raw.length > limit
    const rows = raw.slice(0, limit)
    const last = rows[rows.length - 1]
    const nextCursor = more && last ? encodeCursor(sort, { key: last.k as string | number, id: last.id as number }, offset + rows.length) : null
    return { rows: rows.map(toRow), nextCursor, offset }
  }

  /** How many photos match. */
  count(filter: PhotoQueryFilter = {}): number {
    const { terms, params } = filterSql(filter)
    const where = terms.length > 0 ? `WHERE ${terms.join(' AND ')}` : ''
    // a name filter reads the (generated) names from their index instead of computing each one
    const index = filter.text ? 'INDEXED BY photos_name' : ''
    return (this.sql(`SELECT count(*) AS n FROM photos p ${index} ${where}`).get(...params) as { n: number }).n
  }

  /** Physical objects over every photo (the sum of the object counts). */
  objectTotal(): number {
    return (this.sql('SELECT total(object_count) AS n FROM photos').get() as { n: number }).n
  }

  /** The photos just before and after photo `id` in `sort` order among those matching `filter`. */
  neighbours(id: number, filter: PhotoQueryFilter, sort: PhotoSort): { previous: number | null; next: number | null } {
    const k = KEY_SQL[sort.key].expr
    const own = this.sql(`SELECT ${k} AS k FROM photos p WHERE p.id = ?`).get(id) as { k: string | number } | undefined
    if (!own) return { previous: null, next: null }
    const sql = filterSql(filter)
    const at = { key: own.k, id }
    const reverse: PhotoSort = { key: sort.key, order: sort.order === 'asc' ? 'desc' : 'asc' }
    const next = this.walk(sql, sort, { at, inclusive: false }, 1, 0, true)[0]
    const previous = this.walk(sql, reverse, { at, inclusive: false }, 1, 0, true)[0]
    return { previous: (previous?.id as number | undefined) ?? null, next: (next?.id as number | undefined) ?? null }
  }

  /** The effective positive labels of photos (human over model), strongest first (human ones first). */
  positiveLabels(photoIds: readonly number[]): Map<number, number[]> {
    const out = new Map<number, number[]>(photoIds.map((id) => [id, []]))
    if (photoIds.length === 0) return out
    const rows = this.sql(`SELECT photo_id, class_id, source, state, confidence FROM labels
      WHERE photo_id IN (SELECT value FROM json_each(?)) ORDER BY photo_id, class_id, source = 'human' DESC`)
      .all(JSON.stringify(photoIds)) as { photo_id: number; class_id: number; source: string; state: string; confidence: number | null }[]
    const strength = new Map<number, { classId: number; rank: number }[]>()
    let seen = ''
    for (const r of rows) {
      const key = `${r.photo_id}:${r.class_id}`
      if (key === seen) continue // the human row came first and wins
      seen = key
      if (r.state !== 'positive') continue
      const list = strength.get(r.photo_id) ?? []
      list.push({ classId: r.class_id, rank: r.source === 'human' ? 2 : (r.confidence ?? 0) })
      strength.set(r.photo_id, list)
    }
    for (const [id, list] of strength) out.set(id, list.sort((a, b) => b.rank - a.rank || a.classId - b.classId).map((l) => l.classId))
    return out
  }

  /** SQLite's plan of a page query (diagnostics: every order must walk an index, never sort). */
  explainPage(filter: PhotoQueryFilter, sort: PhotoSort, fromCursor: boolean): string[] {
    const { sql, params } = this.pageSql(filterSql(filter), sort, fromCursor ? { at: { key: 0, id: 1 }, inclusive: false } : undefined, false)
    return (this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params, 10, 0) as { detail: string }[]).map((r) => r.detail)
  }

  /** Rows in `sort` order from `from` (exclusive unless `inclusive`); `keysOnly` reads the index only. */
  private walk(filter: { terms: string[]; params: unknown[] }, sort: PhotoSort, from: { at: Position; inclusive: boolean } | undefined,
    limit: number, offset: number, keysOnly: boolean): Record<string, unknown>[] {
    const { sql, params } = this.pageSql(filter, sort, from, keysOnly)
    return this.sql(sql).all(...params, limit, offset) as Record<string, unknown>[]
  }

  private pageSql(filter: { terms: string[]; params: unknown[] }, sort: PhotoSort, from: { at: Position; inclusive: boolean } | undefined,
    keysOnly: boolean): { sql: string; params: unknown[] } {
    const { expr, index } = KEY_SQL[sort.key]
    const dir = sort.order === 'asc' ? 'ASC' : 'DESC'
    const terms = [...filter.terms]
    const params = [...filter.params]
    if (from) {
      const op = (sort.order === 'asc' ? '>' : '<') + (from.inclusive ? '=' : '')
      if (sort.key === 'added') {
        terms.push(`p.id ${op} ?`)
        params.push(from.at.id)
      } else {
        terms.push(`(${expr}, p.id) ${op} (?, ?)`)
        params.push(from.at.key, from.at.id)
      }
    }
    const where = terms.length > 0 ? `WHERE ${terms.join(' AND ')}` : ''
    const order = sort.key === 'added' ? `p.id ${dir}` : `${expr} ${dir}, p.id ${dir}`
    const columns = keysOnly ? `${expr} AS k, p.id` : `${expr} AS k, ${COLUMNS}`
    return { sql: `SELECT ${columns} FROM photos p ${index} ${where} ORDER BY ${order} LIMIT ? OFFSET ?`, params }
  }
}
