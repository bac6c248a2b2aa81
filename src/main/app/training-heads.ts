/**
 * Activating a head version (and rolling back) inside the running app, as an 'activate-head' job:
 * every photo is embedded again from its stored head inputs (no detector run) with the version's
 * ONNX graph, the vectors are written in one transaction only once all are computed (a cancel
 * changes nothing), both vector indexes take the new vectors, and from then on the open library
 * analyses, searches and shows graphs with the new head. `heads/active.json` (the format of
 * head-versions.ts) records it, so the app opens the library on that head at its next start
 * (`activeHeadPackDir`).
 *
 * The app owns the library's lock, so it cannot reopen the library under another pack as
 * `activateHead` (CLI) does: it switches the open library's head in place (`Library.useHead`) and
 * runs the new graph on a second inference process opened on the version's pack.
 */
import path from 'node:path'
import type { HeadParams } from '../engine/head/head-params.js'
import { decodeHead } from '../engine/head/head-params.js'
import { runHead, type AnalyzerParts } from '../engine/analysis/analyze-photo.js'
import { ApiError } from '../../shared/envelope.js'
import type { Library } from '../engine/library/library.js'
import { findModel, readManifest, readVerifiedModel } from '../engine/models/pack.js'
import type { ProviderSetting } from '../engine/models/sessions.js'
import { nodeObjects, storedGraphInput } from '../engine/search/graph-input.js'
import { METHODS } from '../engine/store/embedding-methods.js'
import { modelVersionOf } from '../engine/store/index.js'
import { writeHeadPack } from '../engine/training/head-pack.js'
import { DEFAULT_HEAD, listHeadVersions, readActive, writeActive, type ActiveFile } from '../engine/training/head-versions.js'
import { InferenceEngine } from '../engine/worker/inference-client.js'
import type { EventBus } from './event-bus.js'
import type { JobManager } from './job-manager.js'
import type { TaskContext } from './job-task.js'


/** What a switch needs to know about the packs. */
export interface HeadSwitchOptions {
  basePackDir: string
  /** The pack the library (and its inference engine) was opened on. */
  activePackDir: string
  provider?: ProviderSetting
}

/** Activates and rolls back head versions of the open library. */
export class HeadSwitcher {
  /** The extra inference process running the switched-to head's graph (disposed with the app). */
  private engine: InferenceEngine | null = null

  constructor(
    private readonly lib: Library,
    private readonly jobs: JobManager,
    private readonly events: EventBus,
    private readonly options: HeadSwitchOptions,
  ) {}

  private readActive(): ActiveFile {
    return readActive(this.lib.paths.dir)
  }

  private writeActive(value: ActiveFile): void {
    writeActive(this.lib.paths.dir, value)
  }

  /** Queues the activation of version `id`. */
  activate(id: string): { jobId: number } {
    const version = listHeadVersions(this.lib.paths.dir).find((v) => v.id === id)
    if (!version) throw new ApiError('not-found', `the library has no head version "${id}" (see heads.list)`)
    if (version.active) throw new ApiError('bad-request', `head "${id}" is already active`)
    return this.queue(id, `Activating head ${id}`, (state) => ({ active: id, history: [...state.history, id] }))
  }

  /** Queues going back to the head active before the current one. */
  rollback(): { jobId: number } {
    const { history } = this.readActive()
    if (history.length < 2) throw new ApiError('bad-request', 'there is no earlier head to roll back to')
    const previous = history[history.length - 2]
    return this.queue(previous, `Rolling back to head ${previous}`, (state) => ({ active: previous, history: state.history.slice(0, -1) }))
  }

  /** Stops the extra inference process, if any. */
  async dispose(): Promise<void> {
    await this.engine?.dispose()
    this.engine = null
  }

  private queue(id: string, title: string, next: (state: ActiveFile) => ActiveFile): { jobId: number } {
    const job = this.jobs.runTask({ kind: 'activate-head', title, args: { id } }, async (ctx) => {
      const report = await this.switchTo(id, ctx)
      if (!report) return
      this.writeActive(next(this.readActive()))
      ctx.detail({ kind: 'activate-head', headId: id, photos: report.photos, reembedSeconds: report.reembedSeconds, reindexSeconds: report.reindexSeconds })
      this.events.emit('library.changed', { reason: 'head' })
    })
    return { jobId: job.id }
  }

  private packOf(id: string): string {
    if (id === DEFAULT_HEAD) return this.options.basePackDir
    const dir = path.join(this.lib.paths.dir, 'heads', id)
    return writeHeadPack(dir, this.options.basePackDir, path.join(dir, 'pack'))
  }

  /** Re-embeds every photo with head `id` and switches the library to it; undefined when cancelled (nothing changed). */
  private async switchTo(id: string, ctx: TaskContext): Promise<{ photos: number; reembedSeconds: number; reindexSeconds: number } | undefined> {
    const started = Date.now()
    const packDir = this.packOf(id)
    const manifest = readManifest(packDir)
    const headEntry = findModel(manifest, 'sarl-gat-head')
    const head: HeadParams = decodeHead(readVerifiedModel(packDir, headEntry), path.join(packDir, headEntry.file))
    const graphEntry = manifest.models.find((m) => m.role === 'head-graph' && m.preprocessing.headParamsSha256 === headEntry.sha256)
    const samePack = path.resolve(packDir) === path.resolve(this.options.activePackDir)
    const engine = samePack ? this.lib.engine : new InferenceEngine({ packDir, provider: this.options.provider })
    const parts: AnalyzerParts = { ...this.lib.parts, head, headGraph: graphEntry && { runner: engine, model: graphEntry.name } }
    const version = modelVersionOf(headEntry.name, headEntry.sha256)
    const searchCtx = this.lib.searchContext()
    const ids = [...this.lib.store.embeddings.iterate(METHODS.photoFeature)].map((e) => e.ownerId)
    const photos: { photoId: number; vector: Float32Array; objects: { id: number; vector: Float32Array }[] }[] = []
    try {
      for (const photoId of ids) {
        if (ctx.signal.aborted) return undefined
        const nodes = nodeObjects(searchCtx, photoId)
        const input = storedGraphInput(searchCtx, photoId, nodes)
        if (input) {
          const graph = await runHead(parts, input, {}, ctx.signal)
          photos.push({ photoId, vector: graph.embedding, objects: nodes.map((o, i) => ({ id: o.id, vector: graph.objectNodes[i] })) })
        }
        ctx.progress(photos.length, ids.length)
      }
    } catch (err) {
      if (engine !== this.lib.engine) await engine.dispose()
      if (ctx.signal.aborted) return undefined
      throw err
    }
    const reembedSeconds = (Date.now() - started) / 1000
    const t = Date.now()
    const { store, indexes } = this.lib
    store.models.register({ name: headEntry.name, role: headEntry.role, sha256: headEntry.sha256, source: headEntry.source })
    store.db.transaction(() => {
      for (const p of photos) {
        // a photo removed, or a box deleted, while the vectors were computed keeps no vector
        if (!store.photos.get(p.photoId)) continue
        store.embeddings.put({ kind: 'photo', photoId: p.photoId }, { method: METHODS.photo, modelVersion: version, vector: p.vector })
        p.objects = p.objects.filter((o) => store.objects.get(o.id))
        for (const o of p.objects) store.embeddings.put({ kind: 'object', objectId: o.id }, { method: METHODS.object, modelVersion: version, vector: o.vector })
      }
    })()
    for (const p of photos) {
      if (!store.photos.get(p.photoId)) continue
      indexes.photos.add(p.photoId, p.vector)
      for (const o of p.objects) indexes.objects.add(o.id, o.vector)
    }
    indexes.save()
    // from here the open library is on the new head
    this.lib.useHead(head, parts.headGraph, version)
    const previous = this.engine
    this.engine = engine === this.lib.engine ? null : engine
    if (previous && previous !== engine) await previous.dispose()
    return { photos: photos.length, reembedSeconds, reindexSeconds: (Date.now() - t) / 1000 }
  }
}
