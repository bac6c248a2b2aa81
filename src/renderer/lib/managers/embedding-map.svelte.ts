/**
 * The Map view's state: the 2-D layout of the library (`map.get`) decoded into typed arrays, its
 * point index for picking, the colouring (by scene, or by one label), the lasso selection as
 * point indices (photo ids on demand) and the map job (`map.compute`, followed through
 * `job.updated`). Nothing here is one object per photo.
 */
import type { EmbeddingMap, JobInfo } from '../../../shared/api-contract.js'
import { call, onEvent } from '../api.js'
import { buildPointIndex, type PointIndex } from '../geometry/point-index.js'
import { isLive } from './jobs.svelte.js'
import { errorMessage } from './toasts.svelte.js'

/** The map as typed arrays. */
export interface DecodedMap {
  count: number
  ids: Int32Array
  /** x, y interleaved. */
  xy: Float32Array
  /** Scene per photo (255: none). */
  scenes: Uint8Array
  /** 1 where the photo has the label asked for, when one was. */
  label: Uint8Array | null
  computedAt: number | null
}

/** Bytes of a base64 string. */
export function base64Bytes(b64: string): Uint8Array {
  const bin = atob(b64)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

/** Decodes a `map.get` reply (little-endian arrays; a fresh buffer, so aligned); checks lengths. */
export function decodeMap(map: EmbeddingMap): DecodedMap {
  const ids = base64Bytes(map.ids)
  const xy = base64Bytes(map.xy)
  const scenes = base64Bytes(map.scenes)
  const label = map.label === undefined ? null : base64Bytes(map.label)
  const n = map.count
  if (ids.length !== 4 * n || xy.length !== 8 * n || scenes.length !== n || (label && label.length !== n)) {
    throw new Error(`the map's arrays do not hold ${n} photos (ids ${ids.length} B, xy ${xy.length} B, scenes ${scenes.length} B)`)
  }
  return { count: n, ids: new Int32Array(ids.buffer, 0, n), xy: new Float32Array(xy.buffer, 0, 2 * n), scenes, label, computedAt: map.computedAt }
}

/** The embedding map. */
export class EmbeddingMapManager {
  /** False until the map was computed (null until asked). */
  ready = $state<boolean | null>(null)
  data = $state.raw<DecodedMap | null>(null)
  /** The point index of {@link data} (rebuilt when the positions change). */
  index = $state.raw<PointIndex | null>(null)
  error = $state<string | null>(null)
  loading = $state(false)
  /** Colour by scene (null) or by this class. */
  colorBy = $state<number | null>(null)
  /** Selected points (indices into the arrays, ascending). */
  selection = $state.raw<Int32Array>(new Int32Array(0))
  job = $state.raw<JobInfo | null>(null)
  computeError = $state<string | null>(null)

  readonly computing: boolean = $derived(this.job !== null && isLive(this.job))
  #generation = 0

  /** Reads the map (with the label of {@link colorBy} when colouring by a label). */
  async load(): Promise<void> {
    const generation = ++this.#generation
    const classId = this.colorBy
    this.loading = true
    try {
      const reply = await call('map.get', classId === null ? {} : { classId })
      if (generation !== this.#generation) return
      const next = decodeMap(reply)
      const old = this.data
      const samePositions = old !== null && old.count === next.count && old.computedAt === next.computedAt
      this.data = samePositions ? { ...old, scenes: next.scenes, label: next.label } : next
      if (!samePositions) {
        this.index = next.count > 0 ? buildPointIndex(next.xy, next.count) : null
        this.selection = new Int32Array(0)
      }
      this.ready = reply.ready
      this.error = null
    } catch (err) {
      if (generation === this.#generation) this.error = errorMessage(err)
    } finally {
      if (generation === this.#generation) this.loading = false
    }
  }

  /** Colours by scene (null) or by a label, and reads that label's column. */
  async setColorBy(classId: number | null): Promise<void> {
    this.colorBy = classId
    await this.load()
  }

  /** Replaces the selection (point indices). */
  select(indices: Int32Array): void {
    this.selection = indices
  }

  /** Clears the selection. */
  clearSelection(): void {
    if (this.selection.length > 0) this.selection = new Int32Array(0)
  }

  /** Photo ids of the selection, in the map's order. */
  selectedIds(): number[] {
    const d = this.data
    return d ? Array.from(this.selection, (i) => d.ids[i]) : []
  }

  /** Starts computing the map as a job. */
  async compute(): Promise<void> {
    this.computeError = null
    try {
      const { jobId } = await call('map.compute', {})
      if (this.job?.id === jobId) return
      const job = (await call('jobs.list', {}).catch(() => [] as JobInfo[])).find((j) => j.id === jobId)
      if (!job || this.job?.id === jobId) return
      this.job = job
      if (!isLive(job)) await this.load()
    } catch (err) {
      this.computeError = errorMessage(err)
    }
  }

  /** Follows map jobs and library changes; returns the unsubscribe. */
  connect(): () => void {
    const offs = [
      onEvent('job.updated', (job) => {
        if (job.kind !== 'map' || (this.job && this.job.id > job.id)) return
        this.job = job
        if (!isLive(job)) void this.load()
      }),
      // New scenes recolour the map (positions stay).
      onEvent('library.changed', ({ reason }) => {
        if (reason === 'scenes' && this.data) void this.load()
      }),
    ]
    return () => offs.forEach((off) => off())
  }
}
