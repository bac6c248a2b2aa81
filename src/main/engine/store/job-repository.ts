/**
 * The app's jobs (indexing, training, import, export, ...) and their per-photo problems, kept in
 * the library so the Jobs view shows the last runs, their reports and errors after a restart
 * (migrations 002 and 004).
 */
import type { JobKind } from '../../../shared/api-types.js'
import { RepositoryBase } from './repository-base.js'

export type { JobKind }

/** Where a job is. */
export type JobState = 'queued' | 'running' | 'completed' | 'cancelled' | 'failed'

/** One stored job. */
export interface JobRecord {
  id: number
  kind: JobKind
  title: string
  state: JobState
  args: Record<string, unknown>
  done: number
  total: number | null
  failed: number
  startedAt: number
  finishedAt: number | null
  error: string | null
  runId: number | null
  /** What the job reports besides done/total (a `JobDetail`), null when nothing. */
  detail: unknown
}

/** One per-photo problem of a job. */
export interface JobProblemRecord {
  jobId: number
  path: string
  photoId: number | null
  reason: string
  at: number
}

interface JobRow {
  id: number
  kind: JobKind
  title: string
  state: JobState
  args: string
  done: number
  total: number | null
  failed: number
  started_at: number
  finished_at: number | null
  error: string | null
  run_id: number | null
  detail: string | null
}

const toRecord = (r: JobRow): JobRecord => ({
  id: r.id, kind: r.kind, title: r.title, state: r.state, args: JSON.parse(r.args) as Record<string, unknown>, done: r.done,
  total: r.total, failed: r.failed, startedAt: r.started_at, finishedAt: r.finished_at, error: r.error, runId: r.run_id,
  detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown),
})

/** Fields of a job that change while it runs. */
export type JobUpdate = Partial<Pick<JobRecord, 'state' | 'done' | 'total' | 'failed' | 'startedAt' | 'finishedAt' | 'error' | 'runId' | 'args' | 'detail'>>

const COLUMN: Record<keyof JobUpdate, string> = {
  state: 'state', done: 'done', total: 'total', failed: 'failed', startedAt: 'started_at',
  finishedAt: 'finished_at', error: 'error', runId: 'run_id', args: 'args', detail: 'detail',
}

/** Reads and writes `jobs` and `job_problems`. */
export class JobRepository extends RepositoryBase {
  /** Records a new queued job. */
  create(kind: JobKind, title: string, args: Record<string, unknown>): JobRecord {
    const info = this.sql("INSERT INTO jobs (kind, title, state, args, started_at) VALUES (?, ?, 'queued', ?, ?)")
      .run(kind, title, JSON.stringify(args), this.now())
    return this.get(Number(info.lastInsertRowid))!
  }

  /** One job. */
  get(id: number): JobRecord | undefined {
    const row = this.sql('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined
    return row && toRecord(row)
  }

  /** Changes some fields of a job. */
  update(id: number, update: JobUpdate): void {
    const keys = (Object.keys(update) as (keyof JobUpdate)[]).filter((k) => update[k] !== undefined)
    if (keys.length === 0) return
    const values = keys.map((k) => (k === 'args' || k === 'detail' ? JSON.stringify(update[k]) : update[k]))
    this.sql(`UPDATE jobs SET ${keys.map((k) => `${COLUMN[k]} = ?`).join(', ')} WHERE id = ?`).run(...values, id)
  }

  /** The most recent jobs, newest first. */
  list(limit = 20): JobRecord[] {
    return (this.sql('SELECT * FROM jobs ORDER BY id DESC LIMIT ?').all(limit) as JobRow[]).map(toRecord)
  }

  /** Jobs that have not ended (queued, or running when the app stopped), oldest first. */
  unfinished(): JobRecord[] {
    return (this.sql("SELECT * FROM jobs WHERE state IN ('queued', 'running') ORDER BY id").all() as JobRow[]).map(toRecord)
  }

  /** The latest job of `kind` that has started (running or ended). */
  latestStarted(kind: JobKind): JobRecord | undefined {
    const row = this.sql("SELECT * FROM jobs WHERE kind = ? AND state <> 'queued' ORDER BY id DESC LIMIT 1").get(kind) as JobRow | undefined
    return row && toRecord(row)
  }

  /** Records a per-photo problem of a job. */
  addProblem(problem: Omit<JobProblemRecord, 'at'>): void {
    this.sql('INSERT INTO job_problems (job_id, path, photo_id, reason, at) VALUES (?, ?, ?, ?, ?)')
      .run(problem.jobId, problem.path, problem.photoId, problem.reason, this.now())
  }

  /** The problems of a job, newest first. */
  problems(jobId: number, limit = 200): JobProblemRecord[] {
    const rows = this.sql('SELECT job_id, path, photo_id, reason, at FROM job_problems WHERE job_id = ? ORDER BY id DESC LIMIT ?')
      .all(jobId, limit) as { job_id: number; path: string; photo_id: number | null; reason: string; at: number }[]
    return rows.map((r) => ({ jobId: r.job_id, path: r.path, photoId: r.photo_id, reason: r.reason, at: r.at }))
  }

  /** Paths that already have a problem recorded for a job. */
  problemPaths(jobId: number): Set<string> {
    return new Set(this.sql('SELECT path FROM job_problems WHERE job_id = ?').pluck().all(jobId) as string[])
  }

  /** Deletes ended jobs (and their problems) beyond the `keep` most recent jobs. */
  prune(keep = 100): number {
    return this.sql(`DELETE FROM jobs WHERE state NOT IN ('queued', 'running')
      AND id < (SELECT min(id) FROM (SELECT id FROM jobs ORDER BY id DESC LIMIT ?))`).run(keep).changes
  }
}
