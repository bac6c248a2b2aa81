/** The stored 2-D map of a photo embedding method (migration 005 `embedding_maps`). */
import { RepositoryBase } from './repository-base.js'

/** A stored map: ids (int32) and x, y (float32 pairs) as little-endian bytes. */
export interface StoredMap {
  method: string
  count: number
  ids: Buffer
  xy: Buffer
  params: Record<string, unknown>
  computedAt: number
}

/** Reads and replaces maps. */
export class SceneMapRepository extends RepositoryBase {
  /** The map of `method`, if computed. */
  get(method: string): StoredMap | undefined {
    const r = this.sql('SELECT * FROM embedding_maps WHERE method = ?').get(method) as Record<string, unknown> | undefined
    return r && {
      method: r.method as string, count: r.count as number, ids: r.ids as Buffer, xy: r.xy as Buffer,
      params: JSON.parse(r.params as string) as Record<string, unknown>, computedAt: r.computed_at as number,
    }
  }

  /** Replaces the map of `method`. */
  put(method: string, ids: Int32Array, xy: Float32Array, params: Record<string, unknown>): void {
    this.sql('INSERT OR REPLACE INTO embedding_maps (method, count, ids, xy, params, computed_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      method, ids.length, Buffer.from(ids.buffer, ids.byteOffset, ids.byteLength), Buffer.from(xy.buffer, xy.byteOffset, xy.byteLength),
      JSON.stringify(params), this.now())
  }
}
