/**
 * The embedding map channels: the stored 2-D layout of the photo embeddings H with each photo's
 * scene (and, on request, whether it has a label), and computing it as a background job.
 */
import type { EmbeddingMap } from '../../shared/api-contract.js'
import type { Library } from '../engine/library/library.js'
import { computeMap } from '../engine/scenes/compute-scenes.js'
import { METHODS } from '../engine/store/embedding-methods.js'
import { SceneLabelReads } from '../engine/store/scene-label-reads.js'
import { SceneMapRepository } from '../engine/store/scene-map-repository.js'
import type { EventBus } from './event-bus.js'
import type { JobManager } from './job-manager.js'

/** Scene byte of a photo without a scene. */
export const NO_SCENE = 255

const base64 = (a: ArrayBufferView): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64')

/** The map of one library. */
export class MapService {
  constructor(
    private readonly lib: Library,
    private readonly jobs: JobManager,
    private readonly events: EventBus,
  ) {}

  /** The map (not ready before the first compute); `classId`: which photos have that label. */
  get(classId?: number): EmbeddingMap {
    const db = this.lib.store.db
    const stored = new SceneMapRepository(db, Date.now).get(METHODS.photo)
    if (!stored) return { ready: false, count: 0, ids: '', xy: '', scenes: '', computedAt: null }
    const allIds = new Int32Array(stored.count)
    new Uint8Array(allIds.buffer).set(stored.ids)
    const allXy = new Float32Array(stored.count * 2)
    new Uint8Array(allXy.buffer).set(stored.xy)
    // per photo id, typed arrays rather than Sets and Maps: 100,000 photos in tens of milliseconds
    const maxId = (db.prepare("SELECT max(id) FROM photos").pluck().get() as number | null) ?? 0
    const bytes = (): Uint8Array => new Uint8Array(maxId + 1)
    const present = bytes()
    for (const id of db.prepare("SELECT id FROM photos WHERE status = 'indexed'").pluck().iterate() as Iterable<number>) present[id] = 1
    const sceneOf = bytes().fill(NO_SCENE)
    for (const [id, scene] of db.prepare('SELECT photo_id, scene FROM scene_assignments').raw().iterate() as Iterable<[number, number]>) {
      if (id <= maxId) sceneOf[id] = scene
    }
    // photos removed since the map was drawn leave it
    let n = 0
    for (let i = 0; i < allIds.length; i++) if (allIds[i] <= maxId && present[allIds[i]]) n++
    const ids = new Int32Array(n)
    const xy = new Float32Array(n * 2)
    const scenes = new Uint8Array(n)
    for (let i = 0, j = 0; i < allIds.length; i++) {
      const id = allIds[i]
      if (id > maxId || !present[id]) continue
      ids[j] = id
      xy[2 * j] = allXy[2 * i]
      xy[2 * j + 1] = allXy[2 * i + 1]
      scenes[j++] = sceneOf[id]
    }
    const map: EmbeddingMap = {
      ready: true, count: n, ids: base64(ids), xy: base64(xy), scenes: base64(scenes), computedAt: stored.computedAt,
    }
    if (classId !== undefined) {
      const has = bytes()
      for (const id of new SceneLabelReads(db, Date.now).photosWith(classId)) if (id <= maxId) has[id] = 1
      map.label = base64(Uint8Array.from(ids, (id) => has[id]))
    }
    return map
  }

  /** Lays out the photo embeddings (UMAP on a sample, the rest placed by neighbours) as a job. */
  compute(): { jobId: number } {
    const job = this.jobs.runTask({ kind: 'map', title: 'Drawing the map of the library' }, async (ctx) => {
      await computeMap(this.lib.store.db, this.lib.store.file, {}, (fraction, stage) => {
        ctx.progress(Math.round(fraction * 1000), 1000)
        ctx.current(stage)
      }, ctx.signal)
      this.events.emit('library.changed', { reason: 'scenes' })
    })
    return { jobId: job.id }
  }
}
