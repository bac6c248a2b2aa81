/**
 * Migration 1: the initial library schema — photos, objects, labels and their correction log,
 * embeddings, runs and model versions.
 */
import type { Migration } from '../migrate.js'

const SCHEMA = `
CREATE TABLE runs (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  kind        TEXT NOT NULL CHECK (kind IN ('index', 'eval', 'train', 'cluster', 'export')),
  status      TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'cancelled')),
  started_at  INTEGER NOT NULL,
  finished_at INTEGER,
  counts      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(counts)),
  args        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(args)),
  error       TEXT
);
CREATE INDEX runs_kind_status ON runs (kind, status);

-- AUTOINCREMENT: a pruned photo's id is never given to another photo (ids key the vector index).
CREATE TABLE photos (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  path         TEXT NOT NULL UNIQUE,
  content_hash TEXT NOT NULL CHECK (length(content_hash) > 0),
  bytes        INTEGER NOT NULL CHECK (bytes >= 0),
  mtime_ms     INTEGER NOT NULL,
  width        INTEGER CHECK (width IS NULL OR width > 0),
  height       INTEGER CHECK (height IS NULL OR height > 0),
  format       TEXT,
  status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'indexed', 'failed')),
  error        TEXT,
  thumbnail    TEXT,
  indexed_at   INTEGER,
  run_id       INTEGER REFERENCES runs (id) ON DELETE SET NULL,
  CHECK ((status = 'failed') = (error IS NOT NULL))
);
-- The content index: same bytes under another path = a move or a duplicate.
CREATE INDEX photos_content_hash ON photos (content_hash);
CREATE INDEX photos_status ON photos (status, id);
CREATE INDEX photos_run ON photos (run_id);

CREATE TABLE objects (
  id            INTEGER PRIMARY KEY,
  photo_id      INTEGER NOT NULL REFERENCES photos (id) ON DELETE CASCADE,
  x1            REAL NOT NULL,
  y1            REAL NOT NULL,
  x2            REAL NOT NULL,
  y2            REAL NOT NULL,
  class_id      INTEGER NOT NULL CHECK (class_id >= 0),
  score         REAL CHECK (score IS NULL OR (score >= 0 AND score <= 1)),
  source        TEXT NOT NULL CHECK (source IN ('detector', 'human')),
  model_version TEXT,
  features      BLOB CHECK (features IS NULL OR length(features) % 4 = 0),
  created_at    INTEGER NOT NULL,
  CHECK (x2 >= x1 AND y2 >= y1),
  CHECK ((source = 'detector') = (model_version IS NOT NULL))
);
CREATE INDEX objects_photo ON objects (photo_id, source);
CREATE UNIQUE INDEX objects_id_photo ON objects (id, photo_id);
CREATE INDEX objects_class ON objects (class_id);

CREATE TABLE labels (
  photo_id      INTEGER NOT NULL REFERENCES photos (id) ON DELETE CASCADE,
  class_id      INTEGER NOT NULL CHECK (class_id >= 0),
  source        TEXT NOT NULL CHECK (source IN ('model', 'human')),
  state         TEXT NOT NULL CHECK (state IN ('positive', 'negative', 'unknown')),
  model_version TEXT,
  confidence    REAL CHECK (confidence IS NULL OR (confidence >= 0 AND confidence <= 1)),
  updated_at    INTEGER NOT NULL,
  PRIMARY KEY (photo_id, class_id, source),
  CHECK ((source = 'model') = (model_version IS NOT NULL))
) WITHOUT ROWID;
CREATE INDEX labels_class_state ON labels (class_id, state, source);

-- Append-only: every human correction, kept for fine-tuning even after its photo is pruned.
CREATE TABLE label_history (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  photo_id     INTEGER NOT NULL,
  content_hash TEXT NOT NULL,
  class_id     INTEGER NOT NULL CHECK (class_id >= 0),
  old_state    TEXT CHECK (old_state IS NULL OR old_state IN ('positive', 'negative', 'unknown')),
  old_source   TEXT CHECK (old_source IS NULL OR old_source IN ('model', 'human')),
  new_state    TEXT NOT NULL CHECK (new_state IN ('positive', 'negative', 'unknown')),
  actor        TEXT NOT NULL CHECK (length(actor) > 0),
  at           INTEGER NOT NULL,
  note         TEXT
);
CREATE INDEX label_history_photo ON label_history (photo_id, class_id);
CREATE INDEX label_history_content ON label_history (content_hash);
CREATE TRIGGER label_history_no_update BEFORE UPDATE ON label_history
BEGIN SELECT RAISE(ABORT, 'label_history is append-only'); END;
CREATE TRIGGER label_history_no_delete BEFORE DELETE ON label_history
BEGIN SELECT RAISE(ABORT, 'label_history is append-only'); END;

-- A vector of a photo (object_id NULL) or of one of its objects; float32 little-endian.
CREATE TABLE embeddings (
  id            INTEGER PRIMARY KEY,
  photo_id      INTEGER NOT NULL REFERENCES photos (id) ON DELETE CASCADE,
  object_id     INTEGER,
  method        TEXT NOT NULL CHECK (length(method) > 0),
  model_version TEXT NOT NULL,
  dims          INTEGER NOT NULL CHECK (dims > 0),
  vector        BLOB NOT NULL CHECK (length(vector) = 4 * dims),
  created_at    INTEGER NOT NULL,
  -- an object's vector belongs to that object's photo
  FOREIGN KEY (object_id, photo_id) REFERENCES objects (id, photo_id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX embeddings_photo_method ON embeddings (photo_id, method) WHERE object_id IS NULL;
CREATE UNIQUE INDEX embeddings_object_method ON embeddings (object_id, method) WHERE object_id IS NOT NULL;
CREATE INDEX embeddings_method ON embeddings (method, id);

CREATE TABLE model_versions (
  version       TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  role          TEXT NOT NULL,
  sha256        TEXT NOT NULL CHECK (length(sha256) = 64),
  source        TEXT NOT NULL,
  registered_at INTEGER NOT NULL,
  UNIQUE (name, sha256)
) WITHOUT ROWID;
`

/** The initial schema. */
export const migration001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(SCHEMA)
  },
}
