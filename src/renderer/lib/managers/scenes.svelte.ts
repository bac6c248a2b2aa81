/**
 * The Scenes view's state: the scenes overview (`scenes.get`), the scene job (`scenes.compute`,
 * followed through `job.updated`), and the co-occurrence heatmaps: a scene (or the whole library),
 * the one it is compared with, and the labels shown (the ones that matter in the first scene, or
 * the analyst's pick). Also how a view opens the library grid with a filter preset.
 */
import type { CooccurrenceMatrix, JobInfo, ScenesOverview } from '../../../shared/api-contract.js'
import { call, onEvent } from '../api.js'
import type { PhotoFilter, PhotoGrid } from './photo-grid.svelte.js'
import type { Router } from './router.svelte.js'
import { isLive } from './jobs.svelte.js'
import { throttle } from './library.svelte.js'
import { errorMessage } from './toasts.svelte.js'

/** A scene id, or the whole library. */
export type SceneRef = number | 'global'

/** Labels a heatmap shows when the analyst picked none. */
export const HEATMAP_TOP = 16

/** Shows the library grid with `filter` (the user's own filters are replaced; "Clear filters" undoes it). */
export async function openInLibrary(wb: { grid: PhotoGrid; router: Router }, filter: PhotoFilter): Promise<void> {
  // Counted and first page asked before the view changes, so the grid opens with its photos.
  await wb.grid.setQuery(filter)
  wb.router.go({ view: 'library' })
}

/** Scenes and their co-occurrence matrices. */
export class ScenesManager {
  overview = $state.raw<ScenesOverview | null>(null)
  error = $state<string | null>(null)
  /** The latest scene job seen (live or just ended). */
  job = $state.raw<JobInfo | null>(null)
  computeError = $state<string | null>(null)
  /** Which part of the view is shown. */
  tab = $state<'scenes' | 'cooccurrence'>('scenes')
  /** The heatmap's scene, the scene it is compared with (null: none), and the picked labels (empty: automatic). */
  sceneA = $state<SceneRef>('global')
  sceneB = $state<SceneRef | null>(null)
  picked = $state.raw<number[]>([])
  matrixA = $state.raw<CooccurrenceMatrix | null>(null)
  matrixB = $state.raw<CooccurrenceMatrix | null>(null)
  matrixError = $state<string | null>(null)
  matrixLoading = $state(false)

  /** True while a scene job runs or waits. */
  readonly computing: boolean = $derived(this.job !== null && isLive(this.job))
  #generation = 0

  /** Reads the overview again. */
  async load(): Promise<void> {
    try {
      this.overview = await call('scenes.get', {})
      this.error = null
    } catch (err) {
      this.error = errorMessage(err)
    }
  }

  /** Starts finding `k` scenes (default: the setting) as a job. */
  async compute(k?: number): Promise<void> {
    this.computeError = null
    try {
      const { jobId } = await call('scenes.compute', k === undefined ? {} : { k })
      // Its first job.updated may have come before this reply; else show it from the job list.
      if (this.job?.id === jobId) return
      const jobs = await call('jobs.list', {}).catch(() => [] as JobInfo[])
      const job = jobs.find((j) => j.id === jobId)
      if (!job || this.job?.id === jobId) return
      this.job = job
      if (!isLive(job)) await this.#refreshAll()
    } catch (err) {
      this.computeError = errorMessage(err)
    }
  }

  /** The name of a scene (or "Whole library"). */
  sceneName(ref: SceneRef): string {
    if (ref === 'global') return 'Whole library'
    return this.overview?.scenes.find((s) => s.id === ref)?.name ?? `Scene ${ref + 1}`
  }

  /** Shows scene `a` (compared with `b`) in the heatmap and loads the matrices. */
  async showHeatmap(a: SceneRef, b: SceneRef | null = this.sceneB): Promise<void> {
    this.sceneA = a
    this.sceneB = b === a ? null : b
    this.tab = 'cooccurrence'
    await this.loadMatrices()
  }

  /** Sets the picked labels (empty: the labels that matter in the scene) and reloads. */
  async pickLabels(classIds: number[]): Promise<void> {
    this.picked = classIds
    await this.loadMatrices()
  }

  /** Loads scene A's matrix, then B's over the same labels so the two align cell by cell. */
  async loadMatrices(): Promise<void> {
    const generation = ++this.#generation
    const { sceneA, sceneB, picked } = this
    this.matrixLoading = true
    try {
      const a = await call('scenes.matrix', picked.length > 0 ? { scene: sceneA, classIds: picked, top: HEATMAP_TOP } : { scene: sceneA, top: HEATMAP_TOP })
      const b = sceneB === null || a.classIds.length === 0 ? null : await call('scenes.matrix', { scene: sceneB, classIds: a.classIds, top: HEATMAP_TOP })
      if (generation !== this.#generation) return
      this.matrixA = a
      this.matrixB = b
      this.matrixError = null
    } catch (err) {
      if (generation === this.#generation) this.matrixError = errorMessage(err)
    } finally {
      if (generation === this.#generation) this.matrixLoading = false
    }
  }

  /** Follows scene jobs and scene changes; returns the unsubscribe. */
  connect(): () => void {
    // While a folder indexes, the stale count is re-read at most every 2 s.
    const reload = throttle(() => void this.load(), 2000)
    const offs = [
      onEvent('job.updated', (job) => {
        if (job.kind !== 'scenes') return
        if (this.job && this.job.id > job.id) return
        this.job = job
        if (!isLive(job)) void this.#refreshAll()
      }),
      onEvent('library.changed', ({ reason }) => {
        if (reason === 'scenes') void this.#refreshAll()
        else if (reason === 'indexed' || reason === 'labels') reload()
      }),
    ]
    return () => offs.forEach((off) => off())
  }

  async #refreshAll(): Promise<void> {
    await this.load()
    if (this.sceneA !== 'global' && !this.overview?.scenes.some((s) => s.id === this.sceneA)) this.sceneA = 'global'
    if (typeof this.sceneB === 'number' && !this.overview?.scenes.some((s) => s.id === this.sceneB)) this.sceneB = null
    if (this.matrixA || this.tab === 'cooccurrence') await this.loadMatrices()
  }
}
