/**
 * The app's long work, one job at a time through one queue: indexing, and tasks of every other
 * kind (training, import, export, activating a head, scenes, the map: see `job-task.ts` and
 * {@link JobManager.runTask}). A running job reports progress (done/total, rate over a sliding
 * window, ETA, its `detail`) at most ~4 times a second, can be cancelled (an index job's photos in
 * flight finish; the rest stay pending), and keeps every per-photo problem in the library. Index
 * jobs survive a restart: one interrupted (or still queued) when the app stopped runs again when
 * it starts (indexing resumes where it stopped). Other tasks do not: see `job-task.ts`.
 */
import path from 'node:path'
import type { JobDetail, JobInfo, JobProblem } from '../../shared/api-contract.js'
import { ApiError } from '../../shared/envelope.js'
import { indexLibrary } from '../engine/library/indexer.js'
import type { Library } from '../engine/library/library.js'
import { JobRepository, type JobRecord } from '../engine/store/job-repository.js'
import type { EventBus } from './event-bus.js'
import { RateMeter } from './rate-meter.js'
import { INTERRUPTED_REASON, SHUTDOWN_REASON, type TaskContext, type TaskRunner, type TaskSpec } from './job-task.js'

export type { TaskContext, TaskRunner, TaskSpec }

/** Least time between two progress events of a job. */
export const PROGRESS_INTERVAL_MS = 250
/** Least time between two `library.changed` events while a job indexes. */
export const CHANGED_INTERVAL_MS = 2000

/** The live part of a running job. */
interface Running {
  id: number
  controller: AbortController
  meter: RateMeter
  current: string | null
  detail: JobDetail | null
  /** Photos done and failed so far (written to the store with each progress event, not per photo). */
  counts: { done: number; failed: number }
  done: Promise<void>
  timer: ReturnType<typeof setTimeout> | null
  lastEmit: number
  lastChanged: number
}

/** Arguments of an index job. */
interface IndexArgs {
  roots: string[]
}

/** Queues and runs the jobs of one library. */
export class JobManager {
  private readonly repo: JobRepository
  private running: Running | null = null
  /** The work of the tasks queued or running in this process. */
  private readonly tasks = new Map<number, TaskRunner>()
  private pump: Promise<void> = Promise.resolve()
  private disposed = false

  constructor(
    private readonly lib: Library,
    private readonly events: EventBus,
    private readonly now: () => number = Date.now,
  ) {
    this.repo = new JobRepository(lib.store.db, now)
  }

  /** Runs the jobs left queued or interrupted by the last stop of the app. */
  resume(): void {
    const left = this.repo.unfinished()
    for (const job of left) {
      if (job.kind !== 'index') {
        if (!this.tasks.has(job.id)) this.end(job.id, 'failed', INTERRUPTED_REASON)
      } else if (job.state === 'running') this.repo.update(job.id, { state: 'queued' })
    }
    if (left.length > 0) this.kick()
  }

  /** Ends the tasks a previous run of the app left unfinished (without resuming index jobs). */
  endInterruptedTasks(): void {
    for (const job of this.repo.unfinished()) if (job.kind !== 'index' && !this.tasks.has(job.id)) this.end(job.id, 'failed', INTERRUPTED_REASON)
  }

  /**
   * Queues a task of any kind but indexing (see `job-task.ts` for an example); it runs when the
   * jobs before it have ended. Returns the job as queued.
   */
  runTask(spec: TaskSpec, runner: TaskRunner): JobInfo {
    if (this.disposed) throw new ApiError('busy', 'the app is stopping')
    const job = this.repo.create(spec.kind, spec.title, spec.args ?? {})
    this.tasks.set(job.id, runner)
    this.repo.prune()
    const info = this.info(job)
    this.events.emit('job.updated', info)
    this.kick()
    return info
  }

  /** Queues an index job over `roots`; it starts when the jobs before it have ended. */
  enqueueIndex(roots: string[], title: string): JobInfo {
    const job = this.repo.create('index', title, { roots } satisfies IndexArgs)
    this.repo.prune()
    const info = this.info(job)
    this.events.emit('job.updated', info)
    this.kick()
    return info
  }

  /** The running job, the queued ones and the recent ended ones, newest first. */
  list(): JobInfo[] {
    return this.repo.list(30).map((j) => this.info(j))
  }

  /** The job indexing right now, if any. */
  active(): JobInfo | null {
    const job = this.running && this.repo.get(this.running.id)
    return job ? this.info(job) : null
  }

  /** One job. */
  get(id: number): JobInfo {
    const job = this.repo.get(id)
    if (!job) throw new ApiError('not-found', `there is no job ${id}`)
    return this.info(job)
  }

  /** Cancels a queued job at once, or a running one (waiting until its photos in flight are saved). */
  async cancel(id: number): Promise<JobInfo> {
    const job = this.repo.get(id)
    if (!job) throw new ApiError('not-found', `there is no job ${id}`)
    if (job.state === 'queued') {
      this.tasks.delete(id)
      this.end(id, 'cancelled', null)
    }
    else if (this.running?.id === id) {
      this.running.controller.abort()
      await this.running.done
    }
    return this.get(id)
  }

  /** Per-photo problems of a job (default: the latest index job that ran), newest first. */
  problems(id: number | undefined, limit: number): JobProblem[] {
    const jobId = id ?? this.repo.latestStarted('index')?.id
    if (jobId === undefined) return []
    if (!this.repo.get(jobId)) throw new ApiError('not-found', `there is no job ${jobId}`)
    return this.repo.problems(jobId, limit)
  }

  /**
   * Stops indexing anything under `folder`: queued jobs lose those roots (and end if none is
   * left); a running job over it is cancelled and its other roots are queued again.
   */
  async stopFolder(folder: string): Promise<void> {
    const under = (root: string) => root === folder || root.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep)
    for (const job of this.repo.unfinished()) {
      if (job.kind !== 'index') continue
      const roots = (job.args as unknown as IndexArgs).roots
      if (!roots.some(under)) continue
      const rest = roots.filter((r) => !under(r))
      if (this.running?.id === job.id) {
        this.running.controller.abort()
        await this.running.done
        if (rest.length > 0) this.enqueueIndex(rest, titleFor(rest))
      } else if (rest.length === 0) this.end(job.id, 'cancelled', 'its folder was removed from the library')
      else this.repo.update(job.id, { args: { roots: rest } })
    }
  }

  /** Resolves when no job runs or waits (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running || this.repo.unfinished().length > 0) {
      if (this.disposed) return
      await (this.running?.done ?? this.pump)
      await new Promise((r) => setImmediate(r))
    }
  }

  /** Stops the running job (it runs again at the next start) and runs nothing more. */
  async dispose(): Promise<void> {
    this.disposed = true
    const running = this.running
    if (running) {
      running.controller.abort('dispose')
      await running.done
    }
  }

  private kick(): void {
    this.pump = this.pump.then(() => this.runQueued()).catch((err: unknown) => {
      if (!this.disposed) console.error('[jobs] the job queue stopped:', err)
    })
  }

  private async runQueued(): Promise<void> {
    while (!this.disposed && !this.running) {
      const next = this.repo.unfinished().find((j) => j.state === 'queued')
      if (!next) return
      if (next.kind === 'index') await this.run(next)
      else {
        const runner = this.tasks.get(next.id)
        if (runner) await this.runTaskJob(next, runner)
        else this.end(next.id, 'failed', INTERRUPTED_REASON)
      }
    }
  }

  /** Marks `job` running and returns its live part (and the function that ends it). */
  private start(job: JobRecord): { running: Running; finish: () => void } {
    const startedAt = this.now()
    let finish!: () => void
    const running: Running = {
      id: job.id, controller: new AbortController(), meter: new RateMeter(startedAt), current: null, detail: null, counts: { done: 0, failed: 0 },
      timer: null, lastEmit: 0, lastChanged: startedAt, done: new Promise<void>((r) => (finish = r)),
    }
    this.running = running
    this.repo.update(job.id, { state: 'running', startedAt, done: 0, failed: 0, total: null, error: null })
    this.emitNow()
    return { running, finish }
  }

  private async runTaskJob(job: JobRecord, runner: TaskRunner): Promise<void> {
    const { running, finish } = this.start(job)
    const { signal } = running.controller
    const ctx: TaskContext = {
      jobId: job.id,
      signal,
      progress: (done, total) => {
        const now = this.now()
        for (let i = running.counts.done; i < Math.min(done, running.counts.done + 10_000); i++) running.meter.record(now)
        running.counts.done = done
        if (total !== job.total) this.repo.update(job.id, { total: (job.total = total) })
        this.emitSoon()
      },
      detail: (detail) => {
        running.detail = detail
        this.repo.update(job.id, { detail })
        this.emitNow()
      },
      current: (text) => {
        running.current = text
        this.emitSoon()
      },
    }
    try {
      await runner(ctx)
      this.repo.update(job.id, running.counts)
      if (signal.reason === 'dispose') this.end(job.id, 'cancelled', SHUTDOWN_REASON)
      else this.end(job.id, signal.aborted ? 'cancelled' : 'completed', null)
    } catch (err) {
      this.repo.update(job.id, running.counts)
      const message = err instanceof Error ? err.message : String(err)
      if (signal.reason === 'dispose') this.end(job.id, 'cancelled', SHUTDOWN_REASON)
      else this.end(job.id, signal.aborted ? 'cancelled' : 'failed', signal.aborted ? null : message)
    } finally {
      if (running.timer) clearTimeout(running.timer)
      this.tasks.delete(job.id)
      this.running = null
      finish()
    }
  }

  private async run(job: JobRecord): Promise<void> {
    const { running, finish } = this.start(job)
    const { controller } = running
    const recorded = this.repo.problemPaths(job.id)
    const problem = (file: string, reason: string) => {
      if (recorded.has(file)) return
      recorded.add(file)
      this.repo.addProblem({ jobId: job.id, path: file, photoId: this.lib.store.photos.findByPath(file)?.id ?? null, reason })
    }
    try {
      const summary = await indexLibrary(this.lib, (job.args as unknown as IndexArgs).roots, {
        signal: controller.signal,
        onFound: (total) => {
          this.repo.update(job.id, { total })
          this.emitSoon()
        },
        onPhotoDone: (file, ok, reason) => {
          running.counts.done++
          if (!ok) {
            running.counts.failed++
            problem(file, reason ?? 'failed')
          }
          running.current = file
          running.meter.record(this.now())
          this.emitSoon()
        },
      })
      for (const p of summary.unreadable) problem(p.path, p.reason)
      running.counts.failed = Math.max(running.counts.failed, recorded.size)
      this.repo.update(job.id, { runId: summary.runId, ...running.counts })
      if (controller.signal.reason === 'dispose') this.repo.update(job.id, { state: 'queued' })
      else this.end(job.id, summary.cancelled ? 'cancelled' : 'completed', null)
    } catch (err) {
      this.repo.update(job.id, running.counts)
      if (controller.signal.reason === 'dispose') this.repo.update(job.id, { state: 'queued' })
      else this.end(job.id, controller.signal.aborted ? 'cancelled' : 'failed', (err as Error).message ?? String(err))
    } finally {
      if (running.timer) clearTimeout(running.timer)
      this.running = null
      this.events.emit('library.changed', { reason: 'indexed' })
      finish()
    }
  }

  private end(id: number, state: 'completed' | 'cancelled' | 'failed', error: string | null): void {
    this.repo.update(id, { state, finishedAt: this.now(), error })
    const job = this.repo.get(id)
    if (job) this.events.emit('job.updated', this.info(job))
  }

  /** Emits the running job's progress now. */
  private emitNow(): void {
    const r = this.running
    if (!r) return
    if (r.timer) clearTimeout(r.timer)
    r.timer = null
    r.lastEmit = this.now()
    this.repo.update(r.id, r.counts)
    const job = this.repo.get(r.id)
    if (job) this.events.emit('job.updated', this.info(job))
    if (r.lastEmit - r.lastChanged >= CHANGED_INTERVAL_MS) {
      r.lastChanged = r.lastEmit
      this.events.emit('library.changed', { reason: 'indexed' })
    }
  }

  /** Emits progress within {@link PROGRESS_INTERVAL_MS} (coalescing what happens meanwhile). */
  private emitSoon(): void {
    const r = this.running
    if (!r || r.timer) return
    const wait = Math.max(0, r.lastEmit + PROGRESS_INTERVAL_MS - this.now())
    r.timer = setTimeout(() => this.emitNow(), wait)
  }

  private info(job: JobRecord): JobInfo {
    const live = this.running?.id === job.id && job.state === 'running' ? this.running : null
    const now = this.now()
    const { done, failed } = live ? live.counts : job
    const remaining = job.total === null ? null : Math.max(0, job.total - done)
    return {
      id: job.id, kind: job.kind, title: job.title, state: job.state, done, total: job.total, failed,
      rate: live ? live.meter.rate(now) : null,
      etaSeconds: live ? live.meter.eta(remaining, now) : null,
      startedAt: job.startedAt, finishedAt: job.finishedAt, error: job.error, current: live?.current ?? null,
      detail: (live?.detail ?? job.detail ?? null) as JobDetail | null,
    }
  }
}

/** "Indexing /home/ann/Pictures", or "Indexing 3 folders". */
export function titleFor(roots: string[], verb = 'Indexing'): string {
  return roots.length === 1 ? `${verb} ${roots[0]}` : `${verb} ${roots.length} folders`
}
