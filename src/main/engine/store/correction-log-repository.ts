/**
 * The correction log (migration 003): edits, each a user action, and their entries, each the
 * snapshot of one label, box or review mark before and after. Append-only: SQLite triggers refuse
 * any UPDATE or DELETE, so an undo is a new edit that applies the inverse entries.
 */
import { RepositoryBase } from './repository-base.js'
import type { CorrectionEntry, CorrectionTarget, EditRecord, EditWithEntries } from './annotation-types.js'

interface EditRow {
  id: number
  actor: string
  action: string
  reverts: number | null
  at: number
  note: string | null
}

interface EntryRow {
  id: number
  edit_id: number
  photo_id: number
  content_hash: string
  target: CorrectionTarget
  class_id: number | null
  object_id: number | null
  before: string | null
  after: string | null
}

const toEdit = (r: EditRow): EditRecord => ({ id: r.id, actor: r.actor, action: r.action, reverts: r.reverts, at: r.at, note: r.note })

const toEntry = (r: EntryRow): CorrectionEntry => ({
  id: r.id, editId: r.edit_id, photoId: r.photo_id, contentHash: r.content_hash, target: r.target,
  classId: r.class_id, objectId: r.object_id,
  before: r.before === null ? null : JSON.parse(r.before), after: r.after === null ? null : JSON.parse(r.after),
}) as CorrectionEntry

/** A new entry: its target and snapshots (the edit supplies the rest). */
export type CorrectionEntryInput = Omit<CorrectionEntry, 'id' | 'editId'>

/** Reads and appends `edits` and `corrections`. */
export class CorrectionLogRepository extends RepositoryBase {
  /** Appends an edit; returns its id. Its entries follow with {@link appendEntry}, in the same transaction. */
  appendEdit(input: { actor: string; action: string; reverts?: number | null; note?: string | null }): EditRecord {
    if (!input.actor.trim()) throw new Error('an edit needs an actor (who made it)')
    const at = this.now()
    const info = this.sql('INSERT INTO edits (actor, action, reverts, at, note) VALUES (?, ?, ?, ?, ?)')
      .run(input.actor, input.action, input.reverts ?? null, at, input.note ?? null)
    return { id: Number(info.lastInsertRowid), actor: input.actor, action: input.action, reverts: input.reverts ?? null, at, note: input.note ?? null }
  }

  /** Appends one entry to edit `editId`; returns it with its id. */
  appendEntry(editId: number, e: CorrectionEntryInput): CorrectionEntry {
    const info = this.sql(`INSERT INTO corrections (edit_id, photo_id, content_hash, target, class_id, object_id, before, after)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(editId, e.photoId, e.contentHash, e.target, e.classId, e.objectId,
      e.before === null ? null : JSON.stringify(e.before), e.after === null ? null : JSON.stringify(e.after))
    return { ...e, id: Number(info.lastInsertRowid), editId } as CorrectionEntry
  }

  /** One edit, or undefined. */
  edit(id: number): EditRecord | undefined {
    const row = this.sql('SELECT * FROM edits WHERE id = ?').get(id) as EditRow | undefined
    return row && toEdit(row)
  }

  /** One edit with its entries in applied order, or undefined. */
  editWithEntries(id: number): EditWithEntries | undefined {
    const edit = this.edit(id)
    return edit && { ...edit, entries: this.entriesOf(id) }
  }

  /** The entries of an edit, in applied order. */
  entriesOf(editId: number): CorrectionEntry[] {
    return (this.sql('SELECT * FROM corrections WHERE edit_id = ? ORDER BY id').all(editId) as EntryRow[]).map(toEntry)
  }

  /** The last `limit` edits of `actor`, oldest first (what the undo history is computed from). */
  recentEdits(actor: string, limit: number): EditRecord[] {
    const rows = this.sql('SELECT * FROM edits WHERE actor = ? ORDER BY id DESC LIMIT ?').all(actor, limit) as EditRow[]
    return rows.reverse().map(toEdit)
  }

  /** Whether some edit reverts `editId`. */
  isReverted(editId: number): boolean {
    return this.sql('SELECT 1 FROM edits WHERE reverts = ? LIMIT 1').get(editId) !== undefined
  }

  /** A page of edits, newest first, older than `beforeId` if given; of one photo's entries if given. */
  edits(options: { photoId?: number; actor?: string; beforeId?: number; limit?: number } = {}): EditWithEntries[] {
    const limit = Math.min(Math.max(options.limit ?? 50, 1), 1000)
    const before = options.beforeId ?? Number.MAX_SAFE_INTEGER
    const rows = (options.photoId !== undefined
      ? this.sql(`SELECT * FROM edits WHERE id IN (SELECT DISTINCT edit_id FROM corrections WHERE photo_id = ? AND edit_id < ?)
          ORDER BY id DESC LIMIT ?`).all(options.photoId, before, limit)
      : options.actor !== undefined
        ? this.sql('SELECT * FROM edits WHERE actor = ? AND id < ? ORDER BY id DESC LIMIT ?').all(options.actor, before, limit)
        : this.sql('SELECT * FROM edits WHERE id < ? ORDER BY id DESC LIMIT ?').all(before, limit)) as EditRow[]
    return rows.map((r) => {
      const entries = this.entriesOf(r.id)
      return { ...toEdit(r), entries: options.photoId === undefined ? entries : entries.filter((e) => e.photoId === options.photoId) }
    })
  }

  /** Every entry in log order, in pages (checks, audits, exports of the log). */
  *iterateEntries(pageSize = 1000): Generator<CorrectionEntry> {
    let after = 0
    for (;;) {
      const rows = this.sql('SELECT * FROM corrections WHERE id > ? ORDER BY id LIMIT ?').all(after, pageSize) as EntryRow[]
      for (const r of rows) yield toEntry(r)
      if (rows.length < pageSize) return
      after = rows[rows.length - 1].id
    }
  }

  /** Number of edits and entries in the log. */
  size(): { edits: number; entries: number } {
    return this.sql('SELECT (SELECT count(*) FROM edits) AS edits, (SELECT count(*) FROM corrections) AS entries').get() as { edits: number; entries: number }
  }
}
