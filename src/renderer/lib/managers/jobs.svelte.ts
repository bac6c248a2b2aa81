/**
 * Jobs (indexing and other long work) as rune state: the list from `jobs.list`, kept live by
 * `job.updated`, the active one for the status line, and the per-photo problems of a run.
 */
import type { JobInfo, JobProblem } from '../../../shared/api-contract.js'
import { call, onEvent } from '../api.js'
import { errorMessage } from './toasts.svelte.js'

/** True while a job still works (or waits to). */
export function isLive(job: JobInfo): boolean {
  return job.state === 'running' || job.state === 'queued'
}

/** Done / total as 0..1; null while the total is unknown (still scanning). */
export function jobFraction(job: JobInfo): number | null {
  if (job.total === null) return null
  if (job.total === 0) return 1
  return Math.min(1, job.done / job.total)
}

/** Jobs, newest first. */
export class JobsManager {
  jobs = $state.raw<JobInfo[]>([])
  error = $state<string | null>(null)
  /** Per-photo problems of {@link problemsJobId} (the latest indexing job by default). */
  problems = $state.raw<JobProblem[]>([])
  problemsJobId = $state<number | null>(null)
  problemsError = $state<string | null>(null)

  /** The job to show in the status line: the newest live one. */
  readonly active: JobInfo | null = $derived(this.jobs.find(isLive) ?? null)

  /** Reads the job list again. */
  async refresh(): Promise<void> {
    try {
      this.jobs = sortJobs(await call('jobs.list', {}))
      this.error = null
    } catch (err) {
      this.error = errorMessage(err)
    }
  }

  /** Reads the problems of job `id` (default: the latest indexing job). */
  async loadProblems(id?: number): Promise<void> {
    try {
      this.problems = await call('jobs.problems', id === undefined ? {} : { id })
      this.problemsJobId = id ?? this.problems[0]?.jobId ?? this.jobs.find((j) => j.kind === 'index')?.id ?? null
      this.problemsError = null
    } catch (err) {
      this.problemsError = errorMessage(err)
    }
  }

  /** Asks the app to cancel a job; the answer replaces it in the list. */
  async cancel(id: number): Promise<void> {
    this.upsert(await call('jobs.cancel', { id }))
  }

  /** Puts a job's latest state in the list. */
  upsert(job: JobInfo): void {
    const rest = this.jobs.filter((j) => j.id !== job.id)
    this.jobs = sortJobs([job, ...rest])
  }

  /** Follows `job.updated`; reloads the problems when a job ends. Returns the unsubscribe. */
  connect(): () => void {
    return onEvent('job.updated', (job) => {
      const before = this.jobs.find((j) => j.id === job.id)
      this.upsert(job)
      if (!isLive(job) && (!before || isLive(before)) && job.failed > 0) void this.loadProblems(job.id)
    })
  }
}

function sortJobs(jobs: JobInfo[]): JobInfo[] {
  return [...jobs].sort((a, b) => b.startedAt - a.startedAt || b.id - a.id)
}
