/**
 * Runs (jobs): indexing, evaluation, training, ... with their arguments and counts. A run left
 * "running" by a killed process is found by `unfinished` and continued under the same id.
 */
import { RepositoryBase } from './repository-base.js'
import type { RunKind, RunRecord, RunStatus } from './types.js'

interface RunRow {
  id: number
  kind: RunKind
  status: RunStatus
  started_at: number
  finished_at: number | null
  counts: string
  args: string
  error: string | null
}

const toRecord = (r: RunRow): RunRecord => ({
  id: r.id, kind: r.kind, status: r.status, startedAt: r.started_at, finishedAt: r.finished_at,
  counts: JSON.parse(r.counts) as Record<string, number>, args: JSON.parse(r.args) as Record<string, unknown>, error: r.error,
})

/** Reads and writes `runs`. */
export class RunRepository extends RepositoryBase {
  /** Starts a run; returns it. */
  start(kind: RunKind, args: Record<string, unknown> = {}): RunRecord {
    const info = this.sql("INSERT INTO runs (kind, status, started_at, args) VALUES (?, 'running', ?, ?)")
      .run(kind, this.now(), JSON.stringify(args))
    return this.get(Number(info.lastInsertRowid))!
  }

  /** The latest run of `kind` still marked running (its process died), if any. */
  unfinished(kind: RunKind): RunRecord | undefined {
    const row = this.sql("SELECT * FROM runs WHERE kind = ? AND status = 'running' ORDER BY id DESC LIMIT 1").get(kind) as RunRow | undefined
    return row && toRecord(row)
  }

  /** The unfinished run of `kind` if there is one (continued under its id), else a new run. */
  resumeOrStart(kind: RunKind, args: Record<string, unknown> = {}): { run: RunRecord; resumed: boolean } {
    return this.db.transaction(() => {
      const run = this.unfinished(kind)
      return run ? { run, resumed: true } : { run: this.start(kind, args), resumed: false }
    })()
  }

  /** Replaces the counts of a running run (progress that survives a crash). */
  setCounts(id: number, counts: Record<string, number>): void {
    this.sql('UPDATE runs SET counts = ? WHERE id = ?').run(JSON.stringify(counts), id)
  }

  /** Ends a run. */
  finish(id: number, status: Exclude<RunStatus, 'running'>, counts?: Record<string, number>, error?: string): RunRecord {
    const info = this.sql(`UPDATE runs SET status = ?, finished_at = ?, counts = coalesce(?, counts), error = ?
      WHERE id = ? AND status = 'running'`).run(status, this.now(), counts ? JSON.stringify(counts) : null, error ?? null, id)
    if (info.changes !== 1) throw new Error(`run ${id} is not running`)
    return this.get(id)!
  }

  /** One run. */
  get(id: number): RunRecord | undefined {
    const row = this.sql('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined
    return row && toRecord(row)
  }

  /** The most recent runs, newest first, optionally of one kind. */
  list(limit = 20, kind?: RunKind): RunRecord[] {
    const rows = (kind === undefined
      ? this.sql('SELECT * FROM runs ORDER BY id DESC LIMIT ?').all(limit)
      : this.sql('SELECT * FROM runs WHERE kind = ? ORDER BY id DESC LIMIT ?').all(kind, limit)) as RunRow[]
    return rows.map(toRecord)
  }
}
