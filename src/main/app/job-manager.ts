/**
 * The app's long work: indexing jobs, one at a time, the next queued behind it. A running job
 * reports progress (done/total, rate over a sliding window, ETA) at most ~4 times a second, can be
 * cancelled (photos in flight finish; the rest stay pending), and keeps every per-photo problem in
 * the library. Jobs survive a restart: one interrupted (or still queued) when the app stopped runs
 * again when it starts (indexing resumes where it stopped).
 */
import path from 'node:path'
import type { JobInfo, JobProblem } from '../../shared/api-contract.js'
import { ApiError } from '../../shared/envelope.js'
import { indexLibrary } from '../engine/library/indexer.js'
import type { Library } from '../engine/library/library.js'
import { JobRepository, type JobRecord } from '../engine/store/job-repository.js'
import type { EventBus } from './event-bus.js'
import { RateMeter } from './rate-meter.js'

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
    for (const job of left) if (job.state === 'running') this.repo.update(job.id, { state: 'queued' })
    if (left.length > 0) this.kick()
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
    if (job.state === 'queued') this.end(id, 'cancelled', null)
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
      await this.run(next)
    }
  }

  private async run(job: JobRecord): Promise<void> {
    const startedAt = this.now()
    const controller = new AbortController()
    let finish!: () => void
    const running: Running = {
      id: job.id, controller, meter: new RateMeter(startedAt), current: null, counts: { done: 0, failed: 0 }, timer: null, lastEmit: 0, lastChanged: startedAt,
      done: new Promise<void>((r) => (finish = r)),
    }
    this.running = running
    this.repo.update(job.id, { state: 'running', startedAt, done: 0, failed: 0, total: null, error: null })
    this.emitNow()
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
    }
  }
}

/** "Indexing /home/ann/Pictures", or "Indexing 3 folders". */
export function titleFor(roots: string[], verb = 'Indexing'): string {
  return roots.length === 1 ? `${verb} ${roots[0]}` : `${verb} ${roots.length} folders`
}
