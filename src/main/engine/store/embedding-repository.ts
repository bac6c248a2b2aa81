/**
 * Vectors of photos and objects, kept in SQLite so that the vector index can always be rebuilt
 * from the library alone. One vector per owner and method; all vectors of a method share dims.
 */
import { RepositoryBase } from './repository-base.js'
import type { EmbeddingOwner, EmbeddingRecord } from './types.js'
import { assertFinite, blobToVector, vectorToBlob } from './vector-blob.js'

interface EmbeddingRow {
  id: number
  photo_id: number
  object_id: number | null
  method: string
  model_version: string
  vector: Buffer
}

const toRecord = (r: EmbeddingRow): EmbeddingRecord => ({
  kind: r.object_id === null ? 'photo' : 'object',
  ownerId: r.object_id ?? r.photo_id,
  photoId: r.photo_id,
  method: r.method,
  modelVersion: r.model_version,
  vector: blobToVector(r.vector),
})

/** A vector to store. */
export interface EmbeddingInput {
  /** What the vector is, e.g. "gat-mean" or "backbone-gap"; one index per method. */
  method: string
  modelVersion: string
  vector: Float32Array
}

/** Per-method summary. */
export interface EmbeddingMethodSummary {
  method: string
  dims: number
  count: number
  modelVersions: string[]
}

/** Reads and writes `embeddings`. */
export class EmbeddingRepository extends RepositoryBase {
  /** Stores (or replaces) the owner's vector for `input.method`. Throws on a dims mismatch with the method's other vectors. */
  put(owner: EmbeddingOwner, input: EmbeddingInput): void {
    const { method, modelVersion, vector } = input
    if (vector.length === 0) throw new Error(`embedding "${method}" is empty`)
    assertFinite(vector, `embedding "${method}"`)
    this.db.transaction(() => {
      const other = this.sql('SELECT dims FROM embeddings WHERE method = ? LIMIT 1').get(method) as { dims: number } | undefined
      if (other && other.dims !== vector.length) {
        throw new Error(`embedding "${method}" has ${vector.length} dims; stored ones have ${other.dims} (delete the method first)`)
      }
      this.delete(owner, method)
      const blob = vectorToBlob(vector)
      const at = this.now()
      const info = owner.kind === 'photo'
        ? this.sql(`INSERT INTO embeddings (photo_id, object_id, method, model_version, dims, vector, created_at)
            VALUES (?, NULL, ?, ?, ?, ?, ?)`).run(owner.photoId, method, modelVersion, vector.length, blob, at)
        : this.sql(`INSERT INTO embeddings (photo_id, object_id, method, model_version, dims, vector, created_at)
            SELECT photo_id, id, ?, ?, ?, ?, ? FROM objects WHERE id = ?`).run(method, modelVersion, vector.length, blob, at, owner.objectId)
      if (info.changes !== 1) throw new Error(`cannot store embedding "${method}": no object ${JSON.stringify(owner)}`)
    })()
  }

  /** The owner's vector for `method`. */
  get(owner: EmbeddingOwner, method: string): EmbeddingRecord | undefined {
    const row = (owner.kind === 'photo'
      ? this.sql('SELECT * FROM embeddings WHERE photo_id = ? AND object_id IS NULL AND method = ?').get(owner.photoId, method)
      : this.sql('SELECT * FROM embeddings WHERE object_id = ? AND method = ?').get(owner.objectId, method)) as EmbeddingRow | undefined
    return row && toRecord(row)
  }

  /** Deletes the owner's vector for `method`; returns whether one existed. */
  delete(owner: EmbeddingOwner, method: string): boolean {
    const info = owner.kind === 'photo'
      ? this.sql('DELETE FROM embeddings WHERE photo_id = ? AND object_id IS NULL AND method = ?').run(owner.photoId, method)
      : this.sql('DELETE FROM embeddings WHERE object_id = ? AND method = ?').run(owner.objectId, method)
    return info.changes > 0
  }

  /**
   * Every vector of a method (for an index rebuild), read in pages of `pageSize` so that the
   * connection is free between pages (other statements may run while iterating).
   */
  *iterate(method: string, pageSize = 1024): Generator<EmbeddingRecord> {
    let after = 0
    for (;;) {
      const rows = this.sql('SELECT * FROM embeddings WHERE method = ? AND id > ? ORDER BY id LIMIT ?')
        .all(method, after, pageSize) as EmbeddingRow[]
      for (const r of rows) yield toRecord(r)
      if (rows.length < pageSize) return
      after = rows[rows.length - 1].id
    }
  }

  /**
   * The owner ids (photo ids, or object ids) of every vector of a method, without the vectors:
   * what checking a saved index against the store needs. Read from the owner indexes (a few
   * bytes an entry) in pages, not from the table's rows (each holds its vector): 4x less CPU for
   * 724,000 object vectors.
   */
  *ownerIds(method: string, pageSize = 8192): Generator<number> {
    const first = this.sql('SELECT object_id IS NULL AS photo FROM embeddings WHERE method = ? LIMIT 1').get(method) as { photo: number } | undefined
    if (!first) return
    const page = first.photo
      ? this.sql(`SELECT photo_id FROM embeddings INDEXED BY embeddings_photo_method
          WHERE object_id IS NULL AND method = ? AND photo_id > ? ORDER BY photo_id LIMIT ?`).pluck()
      : this.sql(`SELECT object_id FROM embeddings INDEXED BY embeddings_object_method
          WHERE object_id IS NOT NULL AND method = ? AND object_id > ? ORDER BY object_id LIMIT ?`).pluck()
    let after = 0
    for (;;) {
      const ids = page.all(method, after, pageSize) as number[]
      yield* ids
      if (ids.length < pageSize) return
      after = ids[ids.length - 1]
    }
  }

  /** Number of vectors of a method, or of all methods. */
  count(method?: string): number {
    const row = method === undefined
      ? this.sql('SELECT count(*) AS n FROM embeddings').get()
      : this.sql('SELECT count(*) AS n FROM embeddings WHERE method = ?').get(method)
    return (row as { n: number }).n
  }

  /** The dims of a method's vectors (all share them), or undefined when none is stored. */
  dims(method: string): number | undefined {
    return (this.sql('SELECT dims FROM embeddings WHERE method = ? LIMIT 1').get(method) as { dims: number } | undefined)?.dims
  }

  /** What methods are stored, with their dims, counts and model versions. */
  methods(): EmbeddingMethodSummary[] {
    const rows = this.sql(`SELECT method, max(dims) AS dims, count(*) AS count, group_concat(DISTINCT model_version) AS versions
      FROM embeddings GROUP BY method ORDER BY method`).all() as { method: string; dims: number; count: number; versions: string }[]
    return rows.map((r) => ({ method: r.method, dims: r.dims, count: r.count, modelVersions: r.versions.split(',').sort() }))
  }

  /** Deletes every vector of a method (e.g. before re-embedding with another dims); returns how many. */
  deleteMethod(method: string): number {
    return this.sql('DELETE FROM embeddings WHERE method = ?').run(method).changes
  }
}
