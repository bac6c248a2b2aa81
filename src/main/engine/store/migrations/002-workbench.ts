/**
 * Migration 2: what the workbench app keeps in a library besides the analyses — its folders, user
 * settings, jobs and their per-photo problems — and what its grid sorts and filters by: a photo's
 * file name (a generated column), its object count kept right by triggers, and the indexes that
 * let every grid order walk an index instead of sorting the table.
 *
 * The object count counts physical objects: a detector object whose box overlaps a box of a
 * higher-scoring detector object of the same photo at IoU >= 0.7 is another class guess for the
 * same thing (the photo view shows it as an alternative), not another object. Boxes drawn by
 * people always count. `OBJECT_GROUP_IOU` in photo-query-repository.ts mirrors the threshold.
 */
import type { Migration } from '../migrate.js'

/** SQL: true when objects `a` and `b` overlap at IoU >= 0.7. */
const overlaps = (a: string, b: string): string => {
  const iw = `max(0.0, min(${a}.x2, ${b}.x2) - max(${a}.x1, ${b}.x1))`
  const ih = `max(0.0, min(${a}.y2, ${b}.y2) - max(${a}.y1, ${b}.y1))`
  const area = (o: string) => `(${o}.x2 - ${o}.x1) * (${o}.y2 - ${o}.y1)`
  return `(${iw} * ${ih} > 0 AND ${iw} * ${ih} >= 0.7 * (${area(a)} + ${area(b)} - ${iw} * ${ih}))`
}

/** SQL: the number of physical objects of photo `photoId` (an expression over the objects table). */
const objectCount = (photoId: string): string => `(
  SELECT count(*) FROM objects o WHERE o.photo_id = ${photoId} AND (o.source = 'human' OR NOT EXISTS (
    SELECT 1 FROM objects h WHERE h.photo_id = o.photo_id AND h.source = 'detector' AND h.id <> o.id
      AND (h.score > o.score OR (h.score = o.score AND h.id < o.id)) AND ${overlaps('h', 'o')})))`

/** SQL: the file name of `photos.path` (after the last '/' or '\'). */
const BASENAME = `replace(replace(path, '\\', '/'), rtrim(replace(path, '\\', '/'), replace(replace(path, '\\', '/'), '/', '')), '')`

const SCHEMA = `
-- The folders the user added; photos under them are the library. Removing one removes its photos.
CREATE TABLE folders (
  path     TEXT PRIMARY KEY CHECK (length(path) > 0),
  added_at INTEGER NOT NULL
) WITHOUT ROWID;

-- User settings, one JSON value per key.
CREATE TABLE settings (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL CHECK (json_valid(value)),
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Long work of the app (indexing), with progress that survives a restart.
CREATE TABLE jobs (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  kind        TEXT NOT NULL CHECK (kind IN ('index', 'reanalyse')),
  title       TEXT NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('queued', 'running', 'completed', 'cancelled', 'failed')),
  args        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(args)),
  done        INTEGER NOT NULL DEFAULT 0 CHECK (done >= 0),
  total       INTEGER CHECK (total IS NULL OR total >= 0),
  failed      INTEGER NOT NULL DEFAULT 0 CHECK (failed >= 0),
  started_at  INTEGER NOT NULL,
  finished_at INTEGER,
  error       TEXT,
  run_id      INTEGER REFERENCES runs (id) ON DELETE SET NULL
);
CREATE INDEX jobs_state ON jobs (state, id);

-- Per-photo errors of a job. photo_id is not a foreign key: the photo may leave the library later.
CREATE TABLE job_problems (
  id       INTEGER PRIMARY KEY,
  job_id   INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  path     TEXT NOT NULL,
  photo_id INTEGER,
  reason   TEXT NOT NULL,
  at       INTEGER NOT NULL
);
CREATE INDEX job_problems_job ON job_problems (job_id, id);

ALTER TABLE photos ADD COLUMN object_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE photos ADD COLUMN name TEXT COLLATE NOCASE GENERATED ALWAYS AS (${BASENAME}) VIRTUAL;
UPDATE photos SET object_count = ${objectCount('photos.id')};

CREATE TRIGGER objects_count_insert AFTER INSERT ON objects
BEGIN UPDATE photos SET object_count = ${objectCount('NEW.photo_id')} WHERE id = NEW.photo_id; END;
CREATE TRIGGER objects_count_delete AFTER DELETE ON objects
BEGIN UPDATE photos SET object_count = ${objectCount('OLD.photo_id')} WHERE id = OLD.photo_id; END;
CREATE TRIGGER objects_count_update AFTER UPDATE OF photo_id, x1, y1, x2, y2, score, source ON objects
BEGIN
  UPDATE photos SET object_count = ${objectCount('OLD.photo_id')} WHERE id = OLD.photo_id;
  UPDATE photos SET object_count = ${objectCount('NEW.photo_id')} WHERE id = NEW.photo_id;
END;

-- Grid orders ('added' is the rowid); ties are broken by id.
CREATE INDEX photos_name ON photos (name, id);
CREATE INDEX photos_objects ON photos (object_count, id);
CREATE INDEX photos_indexed_at ON photos (ifnull(indexed_at, 0), id);
-- A folder's counts by status read this index alone (a path range), never the table.
CREATE INDEX photos_path_status ON photos (path, status);
`

/** Folders, settings, jobs, and what the grid sorts and filters by. */
export const migration002: Migration = {
  version: 2,
  name: 'workbench',
  up(db) {
    db.exec(SCHEMA)
  },
}
