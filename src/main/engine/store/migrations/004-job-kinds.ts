/**
 * Migration 4: jobs of every kind the app runs (indexing, training, import, export, activating a
 * head, scenes, the map), each with a `detail` JSON value (a training job's epochs and curve, an
 * import's report, ...). SQLite cannot change a CHECK in place: the table is rebuilt (foreign keys
 * are off while migrating; `job_problems` keeps referring to `jobs` by name).
 */
import type { Migration } from '../migrate.js'

/** Every job kind (mirrors `JobKind` in src/shared/api-types.ts). */
export const JOB_KINDS = ['index', 'reanalyse', 'train', 'import', 'export', 'activate-head', 'scenes', 'map'] as const

const SCHEMA = `
CREATE TABLE jobs_new (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  kind        TEXT NOT NULL CHECK (kind IN (${JOB_KINDS.map((k) => `'${k}'`).join(', ')})),
  title       TEXT NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('queued', 'running', 'completed', 'cancelled', 'failed')),
  args        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(args)),
  done        INTEGER NOT NULL DEFAULT 0 CHECK (done >= 0),
  total       INTEGER CHECK (total IS NULL OR total >= 0),
  failed      INTEGER NOT NULL DEFAULT 0 CHECK (failed >= 0),
  started_at  INTEGER NOT NULL,
  finished_at INTEGER,
  error       TEXT,
  run_id      INTEGER REFERENCES runs (id) ON DELETE SET NULL,
  -- what the job reports besides done/total (JobDetail), NULL when nothing
  detail      TEXT CHECK (detail IS NULL OR json_valid(detail))
);
INSERT INTO jobs_new (id, kind, title, state, args, done, total, failed, started_at, finished_at, error, run_id)
  SELECT id, kind, title, state, args, done, total, failed, started_at, finished_at, error, run_id FROM jobs;
DROP TABLE jobs;
ALTER TABLE jobs_new RENAME TO jobs;
CREATE INDEX jobs_state ON jobs (state, id);
`

/** Every job kind, and a job's `detail`. */
export const migration004: Migration = {
  version: 4,
  name: 'job-kinds',
  up(db) {
    db.exec(SCHEMA)
  },
}
