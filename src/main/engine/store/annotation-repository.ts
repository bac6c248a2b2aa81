/**
 * The rows a human edit changes — human label rows, boxes, review marks — read and written as the
 * snapshots of the correction log. Callers (annotation/) run these inside one durable transaction
 * together with the log entries; nothing here commits on its own.
 */
import { METHODS } from './embedding-methods.js'
import type { ObjectRow as StoredObjectRow } from './object-repository.js'
import { RepositoryBase } from './repository-base.js'
import { blobToVector } from './vector-blob.js'
import type { BoxSnapshot, HumanLabelSnapshot, LabelOrigin, ReviewSnapshot } from './annotation-types.js'
import type { LabelSource, LabelState } from './types.js'

interface ObjectRow extends StoredObjectRow {
  detector_original: string | null
}

const OBJECT_COLUMNS = 'id, photo_id, x1, y1, x2, y2, class_id, score, source, model_version, detector_original, created_at'

/** A box with its ids. */
export type StoredBox = BoxSnapshot & { id: number; photoId: number }

const toBox = (r: ObjectRow): StoredBox => ({
  id: r.id, photoId: r.photo_id, box: [r.x1, r.y1, r.x2, r.y2], classId: r.class_id, source: r.source, score: r.score,
  modelVersion: r.model_version, detectorOriginal: r.detector_original === null ? null : JSON.parse(r.detector_original), createdAt: r.created_at,
})

/** A label row with its provenance. */
export interface LabelRow {
  classId: number
  source: LabelSource
  state: LabelState
  /** Human rows: 'hand' or 'boxes' (null on model rows; a human row without it counts as 'hand'). */
  origin: LabelOrigin | null
  confidence: number | null
  modelVersion: string | null
  updatedAt: number
}

/** The photo facts an edit needs. */
export interface AnnotatedPhoto {
  id: number
  path: string
  contentHash: string
  width: number | null
  height: number | null
  reviewedAt: number | null
}

/** Reads and writes what human edits change. */
export class AnnotationRepository extends RepositoryBase {
  /** A photo, or undefined. */
  photo(photoId: number): AnnotatedPhoto | undefined {
    return this.sql(`SELECT id, path, content_hash AS contentHash, width, height, reviewed_at AS reviewedAt
      FROM photos WHERE id = ?`).get(photoId) as AnnotatedPhoto | undefined
  }

  /** The human label row of a class of a photo (a row without origin counts as set by hand). */
  humanLabel(photoId: number, classId: number): HumanLabelSnapshot | null {
    const row = this.sql("SELECT state, origin FROM labels WHERE photo_id = ? AND class_id = ? AND source = 'human'")
      .get(photoId, classId) as { state: LabelState; origin: LabelOrigin | null } | undefined
    return row ? { state: row.state, origin: row.origin ?? 'hand' } : null
  }

  /** The model label row of a class of a photo. */
  modelLabel(photoId: number, classId: number): { state: LabelState; confidence: number | null } | null {
    return (this.sql("SELECT state, confidence FROM labels WHERE photo_id = ? AND class_id = ? AND source = 'model'")
      .get(photoId, classId) as { state: LabelState; confidence: number | null } | undefined) ?? null
  }

  /** Every label row of a photo (model and human), by class then source. */
  labelRows(photoId: number): LabelRow[] {
    return this.sql(`SELECT class_id AS classId, source, state, origin, confidence, model_version AS modelVersion, updated_at AS updatedAt
      FROM labels WHERE photo_id = ? ORDER BY class_id, source`).all(photoId) as LabelRow[]
  }

  /** Writes (or, for null, deletes) the human label row of a class of a photo. */
  writeHumanLabel(photoId: number, classId: number, label: HumanLabelSnapshot | null): void {
    if (label === null) {
      this.sql("DELETE FROM labels WHERE photo_id = ? AND class_id = ? AND source = 'human'").run(photoId, classId)
      return
    }
    this.sql(`INSERT INTO labels (photo_id, class_id, source, state, model_version, confidence, updated_at, origin)
      VALUES (?, ?, 'human', ?, NULL, NULL, ?, ?)
      ON CONFLICT (photo_id, class_id, source) DO UPDATE SET state = excluded.state, origin = excluded.origin, updated_at = excluded.updated_at`)
      .run(photoId, classId, label.state, this.now(), label.origin)
  }

  /**
   * Appends to `label_history` (the label view of the log, kept for fine-tuning): the effective
   * label before and the state after (a withdrawn human label leaves the model's state, or unknown).
   */
  appendLabelHistory(input: { photoId: number; contentHash: string; classId: number; before: { state: LabelState; source: LabelSource } | null;
    after: LabelState; actor: string; note: string }): void {
    this.sql(`INSERT INTO label_history (photo_id, content_hash, class_id, old_state, old_source, new_state, actor, at, note)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(input.photoId, input.contentHash, input.classId, input.before?.state ?? null,
      input.before?.source ?? null, input.after, input.actor, this.now(), input.note)
  }

  /** A box, or null. */
  box(objectId: number): StoredBox | null {
    const row = this.sql(`SELECT ${OBJECT_COLUMNS} FROM objects WHERE id = ?`).get(objectId) as ObjectRow | undefined
    return row ? toBox(row) : null
  }

  /** Every box of a photo, by id. */
  photoBoxes(photoId: number): StoredBox[] {
    return (this.sql(`SELECT ${OBJECT_COLUMNS} FROM objects WHERE photo_id = ? ORDER BY id`).all(photoId) as ObjectRow[]).map(toBox)
  }

  /** Overwrites an existing box with `b`. */
  updateBox(objectId: number, b: BoxSnapshot): void {
    const [x1, y1, x2, y2] = b.box
    const info = this.sql(`UPDATE objects SET x1 = ?, y1 = ?, x2 = ?, y2 = ?, class_id = ?, score = ?, source = ?, model_version = ?,
      detector_original = ?, created_at = ? WHERE id = ?`).run(x1, y1, x2, y2, b.classId, b.score, b.source, b.modelVersion,
      b.detectorOriginal === null ? null : JSON.stringify(b.detectorOriginal), b.createdAt, objectId)
    if (info.changes !== 1) throw new Error(`no box ${objectId}`)
  }

  /**
   * Inserts a box into photo `photoId` with id `preferredId` when that id is free, else with an id
   * no box and no log entry ever had (so a log entry never names two boxes); returns the id used.
   */
  insertBox(photoId: number, b: BoxSnapshot, preferredId?: number): number {
    const id = preferredId !== undefined && this.box(preferredId) === null ? preferredId : this.unusedObjectId()
    const [x1, y1, x2, y2] = b.box
    const info = this.sql(`INSERT INTO objects (id, photo_id, x1, y1, x2, y2, class_id, score, source, model_version, detector_original, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(id, photoId, x1, y1, x2, y2, b.classId, b.score, b.source, b.modelVersion,
      b.detectorOriginal === null ? null : JSON.stringify(b.detectorOriginal), b.createdAt)
    return Number(info.lastInsertRowid)
  }

  /** An object id above every id of `objects` and of the log. */
  private unusedObjectId(): number {
    const row = this.sql(`SELECT max(ifnull((SELECT max(id) FROM objects), 0),
      ifnull((SELECT max(object_id) FROM corrections WHERE object_id IS NOT NULL), 0)) AS id`).get() as { id: number }
    return row.id + 1
  }

  /**
   * Deletes a box (its vectors go by cascade). Its features and vectors, if any, are first kept in
   * the trash under `trashKey` (the log entry of the deletion), for an undo to restore.
   */
  deleteBox(objectId: number, trashKey: number): void {
    const heavy = this.sql(`SELECT features IS NOT NULL OR EXISTS (SELECT 1 FROM embeddings WHERE object_id = o.id) AS has
      FROM objects o WHERE id = ?`).get(objectId) as { has: number } | undefined
    if (!heavy) throw new Error(`no box ${objectId}`)
    if (heavy.has) {
      this.sql('INSERT INTO object_trash (correction_id, features) SELECT ?, features FROM objects WHERE id = ?').run(trashKey, objectId)
      this.sql(`INSERT INTO object_trash_embeddings (correction_id, method, model_version, dims, vector, created_at)
        SELECT ?, method, model_version, dims, vector, created_at FROM embeddings WHERE object_id = ?`).run(trashKey, objectId)
    }
    this.sql('DELETE FROM objects WHERE id = ?').run(objectId)
  }

  /** Gives a restored box back the features and vectors kept under `trashKey`; false if none were kept. */
  restoreFromTrash(trashKey: number, objectId: number): boolean {
    const kept = this.sql('UPDATE objects SET features = (SELECT features FROM object_trash WHERE correction_id = ?) WHERE id = ? AND EXISTS (SELECT 1 FROM object_trash WHERE correction_id = ?)')
      .run(trashKey, objectId, trashKey)
    if (kept.changes === 0) return false
    this.sql(`INSERT INTO embeddings (photo_id, object_id, method, model_version, dims, vector, created_at)
      SELECT o.photo_id, o.id, t.method, t.model_version, t.dims, t.vector, t.created_at
      FROM object_trash_embeddings t JOIN objects o ON o.id = ? WHERE t.correction_id = ?`).run(objectId, trashKey)
    return true
  }

  /** Boxes of a class in a photo: human ones, and detector ones at or above `minScore`. */
  classBoxCounts(photoId: number, classId: number, minScore: number): { human: number; detector: number } {
    return this.sql(`SELECT count(*) FILTER (WHERE source = 'human') AS human, count(*) FILTER (WHERE source = 'detector' AND score >= ?) AS detector
      FROM objects WHERE photo_id = ? AND class_id = ?`).get(minScore, photoId, classId) as { human: number; detector: number }
  }

  /**
   * Whether a detector box of the photo shows `classId` through its class evidence (the per-class
   * best score of the detections merged at its place): an alternative at or above `minScore`.
   */
  evidenceShows(photoId: number, classId: number, minScore: number): boolean {
    const rows = this.sql(`SELECT e.vector FROM objects o JOIN embeddings e ON e.object_id = o.id AND e.method = ?
      WHERE o.photo_id = ? AND o.source = 'detector'`).all(METHODS.objectEvidence, photoId) as { vector: Buffer }[]
    return rows.some((r) => (blobToVector(r.vector)[classId] ?? 0) >= minScore)
  }

  /** The classes a box's class evidence shows at or above `minScore` (its own and its alternatives'). */
  evidenceClasses(objectId: number, minScore: number): number[] {
    const row = this.sql('SELECT vector FROM embeddings WHERE object_id = ? AND method = ?').get(objectId, METHODS.objectEvidence) as { vector: Buffer } | undefined
    if (!row) return []
    return [...blobToVector(row.vector)].flatMap((v, c) => (v >= minScore ? [c] : []))
  }

  /** The review mark of a photo. */
  review(photoId: number): ReviewSnapshot | null {
    const row = this.sql('SELECT reviewed_at FROM photos WHERE id = ?').get(photoId) as { reviewed_at: number | null } | undefined
    return row?.reviewed_at == null ? null : { reviewedAt: row.reviewed_at }
  }

  /** Sets (or clears) the review mark of a photo. */
  writeReview(photoId: number, review: ReviewSnapshot | null): void {
    this.sql('UPDATE photos SET reviewed_at = ? WHERE id = ?').run(review?.reviewedAt ?? null, photoId)
  }
}
