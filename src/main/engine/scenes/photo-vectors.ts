/**
 * Reads one photo vector method for every indexed photo as one row-major Float32Array (the input
 * of the scene model and of the map), in the order of the method's index (ids alongside).
 */
import type { Database } from 'better-sqlite3'

/** n photo ids and their n x dims vectors. */
export interface PhotoVectors {
  ids: Int32Array
  dims: number
  vectors: Float32Array
}

/** Every indexed photo's vector of `method` (photos without one are left out). */
export function readPhotoVectors(db: Database, method: string): PhotoVectors {
  const dimsRow = db.prepare('SELECT dims FROM embeddings WHERE method = ? AND object_id IS NULL LIMIT 1').get(method) as { dims: number } | undefined
  if (!dimsRow) return { ids: new Int32Array(0), dims: 0, vectors: new Float32Array(0) }
  const dims = dimsRow.dims
  const n = (db.prepare(`SELECT count(*) AS n FROM embeddings e JOIN photos p ON p.id = e.photo_id
    WHERE e.method = ? AND e.object_id IS NULL AND p.status = 'indexed'`).get(method) as { n: number }).n
  const ids = new Int32Array(n)
  const vectors = new Float32Array(n * dims)
  const bytes = new Uint8Array(vectors.buffer)
  let i = 0
  const rows = db.prepare(`SELECT e.photo_id, e.vector FROM embeddings e JOIN photos p ON p.id = e.photo_id
    WHERE e.method = ? AND e.object_id IS NULL AND p.status = 'indexed'`).raw() // index order: no sort of 100,000 blobs
  for (const [id, blob] of rows.iterate(method) as Iterable<[number, Buffer]>) {
    if (i >= n || blob.byteLength !== dims * 4) continue
    ids[i] = id
    bytes.set(blob, i * dims * 4)
    i++
  }
  return { ids: ids.subarray(0, i), dims, vectors: vectors.subarray(0, i * dims) }
}
