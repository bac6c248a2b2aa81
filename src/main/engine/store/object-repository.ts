/**
 * Objects of a photo: detector boxes (replaced as a whole on each analysis) and boxes drawn by
 * people (kept across analyses), with optional per-object feature vectors.
 */
import { RepositoryBase } from './repository-base.js'
import type { Box, ObjectRecord, ObjectSource } from './types.js'
import { assertFinite, blobToVector, vectorToBlob } from './vector-blob.js'

/** An `objects` row as SQLite returns it. */
export interface ObjectRow {
  id: number
  photo_id: number
  x1: number
  y1: number
  x2: number
  y2: number
  class_id: number
  score: number | null
  source: ObjectSource
  model_version: string | null
  created_at: number
}

const COLUMNS = 'id, photo_id, x1, y1, x2, y2, class_id, score, source, model_version, created_at'

function toRecord(r: ObjectRow): ObjectRecord {
  return {
    id: r.id, photoId: r.photo_id, box: [r.x1, r.y1, r.x2, r.y2], classId: r.class_id,
    score: r.score, source: r.source, modelVersion: r.model_version, createdAt: r.created_at,
  }
}

/** A detector's object, as the pipeline produces it. */
export interface DetectedObjectInput {
  /** In the photo's original pixels. */
  box: Box
  classId: number
  score: number
  modelVersion: string
  /** Per-object features (e.g. RoIAlign + GAP of the backbone map), kept for training heads later. */
  features?: Float32Array
}

/** Reads and writes the `objects` table. */
export class ObjectRepository extends RepositoryBase {
  /**
   * Replaces the detector objects of a photo (and, by cascade, their vectors) with `objects`,
   * atomically; boxes drawn by people are kept. Returns the new ids, in input order.
   */
  replaceDetected(photoId: number, objects: readonly DetectedObjectInput[]): number[] {
    return this.db.transaction(() => {
      this.sql("DELETE FROM objects WHERE photo_id = ? AND source = 'detector'").run(photoId)
      const insert = this.sql(`INSERT INTO objects (photo_id, x1, y1, x2, y2, class_id, score, source, model_version, features, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, 'detector', ?, ?, ?)`)
      const at = this.now()
      return objects.map((o) => {
        if (o.features) assertFinite(o.features, `features of a ${o.classId} object`)
        const [x1, y1, x2, y2] = o.box
        const info = insert.run(photoId, x1, y1, x2, y2, o.classId, o.score, o.modelVersion,
          o.features ? vectorToBlob(o.features) : null, at)
        return Number(info.lastInsertRowid)
      })
    })()
  }

  /** Adds a box drawn by a person; returns its id. */
  addHuman(photoId: number, box: Box, classId: number): number {
    const [x1, y1, x2, y2] = box
    const info = this.sql(`INSERT INTO objects (photo_id, x1, y1, x2, y2, class_id, score, source, model_version, created_at)
      VALUES (?, ?, ?, ?, ?, ?, NULL, 'human', NULL, ?)`).run(photoId, x1, y1, x2, y2, classId, this.now())
    return Number(info.lastInsertRowid)
  }

  /** One object. */
  get(id: number): ObjectRecord | undefined {
    const row = this.sql(`SELECT ${COLUMNS} FROM objects WHERE id = ?`).get(id) as ObjectRow | undefined
    return row && toRecord(row)
  }

  /** The objects of a photo, detector ones first, by descending score. */
  listByPhoto(photoId: number): ObjectRecord[] {
    const rows = this.sql(`SELECT ${COLUMNS} FROM objects WHERE photo_id = ?
      ORDER BY source = 'human', score DESC, id`).all(photoId) as ObjectRow[]
    return rows.map(toRecord)
  }

  /** The stored features of an object, if any. */
  features(id: number): Float32Array | undefined {
    const row = this.sql('SELECT features FROM objects WHERE id = ?').get(id) as { features: Buffer | null } | undefined
    return row?.features ? blobToVector(row.features) : undefined
  }

  /** Number of objects of a photo (all sources). */
  countByPhoto(photoId: number): number {
    return (this.sql('SELECT count(*) AS n FROM objects WHERE photo_id = ?').get(photoId) as { n: number }).n
  }
}
