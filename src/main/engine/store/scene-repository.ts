/**
 * Scenes in the library (migration 005): the scene model in force, each photo's assignment and
 * the labels counted for it, per-scene label co-occurrence counts C^s (hard assignment, pairs
 * a <= b), per-scene totals, and the photos marked for a re-count by the triggers.
 */
import { RepositoryBase } from './repository-base.js'
import { blobToVector, vectorToBlob } from './vector-blob.js'

/** The stored scene model. */
export interface StoredSceneModel {
  id: number
  k: number
  dims: number
  /** The embedding method of the context feature v. */
  method: string
  params: Buffer
  seed: number
  stats: Record<string, unknown>
  trainedPhotos: number
  createdAt: number
}

/** One photo's assignment. */
export interface SceneAssignment {
  photoId: number
  scene: number
  confidence: number
  entropy: number
  pi: Float32Array
  /** The effective positive class ids counted for the photo, ascending. */
  labels: Int32Array
  modelId: number
}

/** Per-scene totals. */
export interface SceneTotal {
  scene: number
  photos: number
  piSum: number
  entropySum: number
}

const labelsBlob = (labels: Int32Array): Buffer => Buffer.from(labels.buffer, labels.byteOffset, labels.byteLength)
function blobToLabels(blob: Uint8Array): Int32Array {
  const out = new Int32Array(blob.byteLength / 4)
  new Uint8Array(out.buffer).set(blob)
  return out
}

/** Reads and writes the scene tables. */
export class SceneRepository extends RepositoryBase {
  /** The model in force (the latest), if scenes were computed. */
  model(): StoredSceneModel | undefined {
    const r = this.sql('SELECT * FROM scene_models ORDER BY id DESC LIMIT 1').get() as Record<string, unknown> | undefined
    if (!r) return undefined
    return {
      id: r.id as number, k: r.k as number, dims: r.dims as number, method: r.method as string, params: r.params as Buffer,
      seed: r.seed as number, stats: JSON.parse(r.stats as string) as Record<string, unknown>, trainedPhotos: r.trained_photos as number,
      createdAt: r.created_at as number,
    }
  }

  /** Removes every model, assignment, count and total (the start of a full compute). Not the dirty marks. */
  clear(): void {
    for (const t of ['scene_models', 'scene_assignments', 'scene_counts', 'scene_totals']) this.db.prepare(`DELETE FROM ${t}`).run()
  }

  /** Stores a model; returns its id. */
  saveModel(m: Omit<StoredSceneModel, 'id' | 'createdAt'>): number {
    return Number(this.sql(`INSERT INTO scene_models (k, dims, method, params, seed, stats, trained_photos, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(m.k, m.dims, m.method, m.params, m.seed, JSON.stringify(m.stats), m.trainedPhotos, this.now()).lastInsertRowid)
  }

  /** Inserts or replaces a photo's assignment (`assignedAt` default now). */
  putAssignment(a: SceneAssignment, assignedAt = this.now()): void {
    this.sql(`INSERT OR REPLACE INTO scene_assignments (photo_id, scene, confidence, entropy, pi, labels, model_id, assigned_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(a.photoId, a.scene, a.confidence, a.entropy, vectorToBlob(a.pi), labelsBlob(a.labels), a.modelId, assignedAt)
  }

  /** A photo's assignment. */
  assignment(photoId: number): (SceneAssignment & { assignedAt: number }) | undefined {
    const r = this.sql('SELECT * FROM scene_assignments WHERE photo_id = ?').get(photoId) as Record<string, unknown> | undefined
    return r && {
      assignedAt: r.assigned_at as number, photoId: r.photo_id as number, scene: r.scene as number, confidence: r.confidence as number, entropy: r.entropy as number,
      pi: blobToVector(r.pi as Buffer), labels: blobToLabels(r.labels as Buffer), modelId: r.model_id as number,
    }
  }

  /** Deletes a photo's assignment. */
  deleteAssignment(photoId: number): void {
    this.sql('DELETE FROM scene_assignments WHERE photo_id = ?').run(photoId)
  }

  /** Adds `delta` to C^scene[a][b] (a <= b). */
  addCount(scene: number, a: number, b: number, delta: number): void {
    if (a > b) [a, b] = [b, a]
    // a decrement updates in place (an INSERT of a negative n would fail its CHECK before the conflict)
    if (delta < 0) this.sql('UPDATE scene_counts SET n = n + ? WHERE scene = ? AND a = ? AND b = ?').run(delta, scene, a, b)
    else this.sql(`INSERT INTO scene_counts (scene, a, b, n) VALUES (?, ?, ?, ?)
      ON CONFLICT (scene, a, b) DO UPDATE SET n = n + excluded.n`).run(scene, a, b, delta)
  }

  /** Drops count rows that fell to zero. */
  pruneCounts(): void {
    this.sql('DELETE FROM scene_counts WHERE n = 0').run()
  }

  /** Adds to a scene's totals. */
  addTotal(scene: number, photos: number, piSum: number, entropySum: number): void {
    this.sql(`INSERT INTO scene_totals (scene, photos, pi_sum, entropy_sum) VALUES (?, ?, ?, ?)
      ON CONFLICT (scene) DO UPDATE SET photos = photos + excluded.photos, pi_sum = pi_sum + excluded.pi_sum,
      entropy_sum = entropy_sum + excluded.entropy_sum`).run(scene, photos, piSum, entropySum)
  }

  /** Every scene's totals. */
  totals(): SceneTotal[] {
    return this.sql('SELECT scene, photos, pi_sum AS piSum, entropy_sum AS entropySum FROM scene_totals ORDER BY scene').all() as SceneTotal[]
  }

  /** Count rows of one scene, or of all scenes summed (the global matrix). */
  counts(scene: number | 'global'): { a: number; b: number; n: number }[] {
    return (scene === 'global'
      ? this.sql('SELECT a, b, sum(n) AS n FROM scene_counts GROUP BY a, b').all()
      : this.sql('SELECT a, b, n FROM scene_counts WHERE scene = ? AND n > 0').all(scene)) as { a: number; b: number; n: number }[]
  }

  /** Every count row (scene, a, b, n). */
  allCounts(): { scene: number; a: number; b: number; n: number }[] {
    return this.sql('SELECT scene, a, b, n FROM scene_counts WHERE n > 0').all() as { scene: number; a: number; b: number; n: number }[]
  }

  /** The photos most typical of a scene (highest pi of it), best first. */
  typical(scene: number, limit: number): number[] {
    return (this.sql('SELECT photo_id FROM scene_assignments WHERE scene = ? ORDER BY confidence DESC LIMIT ?').all(scene, limit) as { photo_id: number }[])
      .map((r) => r.photo_id)
  }

  /** Photos assigned after the model was trained (the model has not learned from them). */
  assignedAfter(at: number): number {
    return (this.sql('SELECT count(*) AS n FROM scene_assignments WHERE assigned_at > ?').get(at) as { n: number }).n
  }

  /** Up to `limit` photos marked for a re-count. */
  dirty(limit: number): number[] {
    return (this.sql('SELECT photo_id FROM scene_dirty LIMIT ?').all(limit) as { photo_id: number }[]).map((r) => r.photo_id)
  }

  /** How many photos are marked for a re-count. */
  dirtyCount(): number {
    return (this.sql('SELECT count(*) AS n FROM scene_dirty').get() as { n: number }).n
  }

  /** Unmarks photos. */
  clearDirty(photoIds: readonly number[] | 'all'): void {
    if (photoIds === 'all') this.sql('DELETE FROM scene_dirty').run()
    else for (const id of photoIds) this.sql('DELETE FROM scene_dirty WHERE photo_id = ?').run(id)
  }

  /** Each assigned photo's scene, by photo id (for the map). */
  sceneOf(): Map<number, number> {
    const out = new Map<number, number>()
    for (const r of this.sql('SELECT photo_id, scene FROM scene_assignments').raw().iterate() as Iterable<[number, number]>) out.set(r[0], r[1])
    return out
  }
}
