/**
 * Jobs other than indexing: a task the app runs through the one job queue (after the jobs before
 * it), with progress, a `detail` pushed in `job.updated`, cancel, and its state kept in the library.
 *
 * @example A background job of a service (scenes, the map, an export...):
 * ```ts
 * const job = jobs.runTask({ kind: 'scenes', title: 'Finding 8 scenes', args: { k: 8 } }, async (ctx) => {
 *   for (let i = 0; i < photos.length; i++) {
 *     if (ctx.signal.aborted) return            // cancelled: the job ends 'cancelled'
 *     await work(photos[i])
 *     ctx.progress(i + 1, photos.length)         // throttled to ~4 events a second
 *   }
 *   ctx.detail({ kind: 'export', report })       // pushed at once with the job (any JobDetail)
 * })
 * return { jobId: job.id }
 * ```
 * A task that throws ends 'failed' with its message (or 'cancelled' when `ctx.signal` was aborted).
 * Tasks are not resumed after a restart: one the app found queued or running when it started ends
 * 'failed' with the reason (its half-done work is not trusted); start it again.
 */
import type { JobDetail, JobKind } from '../../shared/api-contract.js'

/** What a task is: its kind, its title in the Jobs view, and arguments kept with the job. */
export interface TaskSpec {
  kind: Exclude<JobKind, 'index'>
  title: string
  args?: Record<string, unknown>
}

/** What a running task reports through. */
export interface TaskContext {
  /** The job's id. */
  readonly jobId: number
  /** Aborted when the job is cancelled or the app stops: stop soon (and return or throw). */
  readonly signal: AbortSignal
  /** Done and total so far (total null while unknown); events are throttled. */
  progress(done: number, total: number | null): void
  /** What the job reports besides done/total; kept with the job and pushed at once. */
  detail(detail: JobDetail): void
  /** The item being worked on (a file, a stage), shown as `current`. */
  current(text: string | null): void
}

/** The work of a task. */
export type TaskRunner = (ctx: TaskContext) => Promise<void>

/** Why a task found unfinished at start ended. */
export const INTERRUPTED_REASON = 'the app stopped while this job was queued or running; its partial work was discarded: start it again'
/** Why a task stopped by the app's shutdown ended. */
export const SHUTDOWN_REASON = 'the app was stopped while this job ran: start it again'
