/**
 * The scene channels: the Scenes view's overview, co-occurrence matrices (heatmaps), and finding
 * scenes as a background job. Reads first fold in the photos the triggers marked since the last
 * read (indexed, relabelled, removed: see engine/scenes/scene-refresh.ts) — a bounded amount
 * inline, the rest in the background — so counts follow the library without a recompute.
 */
import type { CooccurrenceMatrix, ParsedRequest, ScenesOverview } from '../../shared/api-contract.js'
import type { Library } from '../engine/library/library.js'
import { computeScenes } from '../engine/scenes/compute-scenes.js'
import { classNamer } from '../engine/scenes/scene-names.js'
import { readCooccurrence, readScenesOverview } from '../engine/scenes/scene-overview.js'
import { refreshScenes } from '../engine/scenes/scene-refresh.js'
import type { EventBus } from './event-bus.js'
import type { JobManager } from './job-manager.js'
import type { SettingsService } from './settings-service.js'

/** Marked photos re-counted inside a read; more are re-counted in the background, in chunks. */
export const INLINE_REFRESH = 2000

/** A job's fraction as done/total for the job manager. */
const PER_MILLE = 1000

/** Scenes of one library. */
export class SceneService {
  private background: Promise<void> | null = null
  /** While a compute writes the new scenes, reads show what is stored and re-count nothing (the compute folds changes in at its end). */
  private computing = false

  constructor(
    private readonly lib: Library,
    private readonly jobs: JobManager,
    private readonly events: EventBus,
    private readonly settings: SettingsService,
  ) {}

  private nameOf(): (classId: number) => string {
    return classNamer(this.lib.store.db, this.lib.head.header.classNames)
  }

  /** Re-counts marked photos: up to {@link INLINE_REFRESH} now, the rest soon after. */
  private refresh(): void {
    const db = this.lib.store.db
    if (this.computing) return
    if (refreshScenes(db, INLINE_REFRESH) < INLINE_REFRESH || this.background) return
    this.background = (async () => {
      while (!this.computing && refreshScenes(db, INLINE_REFRESH) > 0) await new Promise((r) => setImmediate(r))
    })().catch((err: unknown) => console.error('[scenes] re-counting changed photos failed:', err)).finally(() => {
      this.background = null
      this.events.emit('library.changed', { reason: 'scenes' })
    })
  }

  /** The scenes (not ready before the first compute). */
  get(): ScenesOverview {
    this.refresh()
    return readScenesOverview(this.lib.store.db, { nameOf: this.nameOf() })
  }

  /** P^s of a scene or of the library, over `classIds` or its `top` labels. */
  matrix(request: ParsedRequest<'scenes.matrix'>): CooccurrenceMatrix {
    this.refresh()
    return readCooccurrence(this.lib.store.db, request.scene, { nameOf: this.nameOf(), classIds: request.classIds, top: request.top })
  }

  /** Finds K scenes (default the `sceneCount` setting) as a job; pushes library.changed {reason: 'scenes'} when done. */
  compute(k?: number): { jobId: number } {
    const want = k ?? this.settings.get().sceneCount
    const job = this.jobs.runTask({ kind: 'scenes', title: `Finding ${want} scenes`, args: { k: want } }, async (ctx) => {
      this.computing = true
      try {
        await this.background
        await computeScenes(this.lib.store.db, this.lib.store.file, { k: want, seed: 1 }, (fraction, stage) => {
          ctx.progress(Math.round(fraction * PER_MILLE), PER_MILLE)
          ctx.current(stage)
        }, ctx.signal)
      } finally {
        this.computing = false
      }
      this.events.emit('library.changed', { reason: 'scenes' })
    })
    return { jobId: job.id }
  }
}
