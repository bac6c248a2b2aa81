/**
 * Migration 3: what annotation keeps — the correction log of every human edit (labels, boxes,
 * reviews) grouped into edits that undo as one, the parts of deleted boxes an undo needs back,
 * the vocabulary a person added beyond the head's classes, when a photo was reviewed, whether a
 * human label was set by hand or follows the photo's boxes, and what a detector box was before a
 * person edited it.
 *
 * `edits` and `corrections` are append-only (triggers refuse UPDATE and DELETE) and keep no foreign
 * key to photos: like `label_history`, the log outlives a pruned photo (its content hash re-attaches it).
 */
import type { Migration } from '../migrate.js'

const appendOnly = (table: string): string => `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END;`

const SCHEMA = `
-- When a person marked the photo reviewed (NULL: not reviewed).
ALTER TABLE photos ADD COLUMN reviewed_at INTEGER;
CREATE INDEX photos_reviewed ON photos (reviewed_at) WHERE reviewed_at IS NOT NULL;

-- Human label rows: 'hand' (set by a person or imported; wins over boxes) or 'boxes' (follows the
-- photo's boxes). NULL on model rows; a human row without it counts as 'hand'.
ALTER TABLE labels ADD COLUMN origin TEXT CHECK (origin IS NULL OR origin IN ('hand', 'boxes'));
UPDATE labels SET origin = 'hand' WHERE source = 'human';

-- A detector box a person edited becomes a human box (same id); this keeps what the detector said
-- ({"box", "classId", "score", "modelVersion"}). Its features and vectors describe that original box.
ALTER TABLE objects ADD COLUMN detector_original TEXT CHECK (detector_original IS NULL OR json_valid(detector_original));

-- Label names a person added that the head does not have (ids from 1000; the head's are 0..n-1).
CREATE TABLE vocabulary (
  class_id INTEGER PRIMARY KEY CHECK (class_id >= 1000),
  name     TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) > 0),
  added_by TEXT NOT NULL,
  added_at INTEGER NOT NULL
);

-- One user action (one undo step): a label set, a box drawn, a batch, an import, an undo.
CREATE TABLE edits (
  id      INTEGER PRIMARY KEY AUTOINCREMENT,
  actor   TEXT NOT NULL CHECK (length(actor) > 0),
  action  TEXT NOT NULL CHECK (length(action) > 0),
  -- the edit this one reverts (an undo reverts an edit, a redo reverts an undo)
  reverts INTEGER REFERENCES edits (id),
  at      INTEGER NOT NULL,
  note    TEXT
);
CREATE INDEX edits_actor ON edits (actor, id);
CREATE INDEX edits_reverts ON edits (reverts) WHERE reverts IS NOT NULL;

-- What one edit changed, one row per label, box or review state: JSON snapshots before and after
-- (NULL: did not exist). Entries of an edit are applied in id order and reverted in reverse.
CREATE TABLE corrections (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  edit_id      INTEGER NOT NULL REFERENCES edits (id),
  photo_id     INTEGER NOT NULL,
  content_hash TEXT NOT NULL,
  target       TEXT NOT NULL CHECK (target IN ('label', 'box', 'review')),
  class_id     INTEGER,
  object_id    INTEGER,
  before       TEXT CHECK (before IS NULL OR json_valid(before)),
  after        TEXT CHECK (after IS NULL OR json_valid(after)),
  CHECK ((target = 'label') = (class_id IS NOT NULL)),
  CHECK ((target = 'box') = (object_id IS NOT NULL))
);
CREATE INDEX corrections_edit ON corrections (edit_id, id);
CREATE INDEX corrections_photo ON corrections (photo_id, id);
CREATE INDEX corrections_content ON corrections (content_hash);
CREATE INDEX corrections_object ON corrections (object_id) WHERE object_id IS NOT NULL;
${appendOnly('edits')}
${appendOnly('corrections')}

-- The parts of a deleted box that its log entry does not hold (features, vectors), so that an
-- undo restores it whole. Not part of the log: may be purged.
CREATE TABLE object_trash (
  correction_id INTEGER PRIMARY KEY REFERENCES corrections (id),
  features      BLOB
);
CREATE TABLE object_trash_embeddings (
  correction_id INTEGER NOT NULL REFERENCES object_trash (correction_id) ON DELETE CASCADE,
  method        TEXT NOT NULL,
  model_version TEXT NOT NULL,
  dims          INTEGER NOT NULL,
  vector        BLOB NOT NULL,
  created_at    INTEGER NOT NULL,
  PRIMARY KEY (correction_id, method)
) WITHOUT ROWID;
`

/** The correction log, vocabulary, review marks and label/box provenance of annotation. */
export const migration003: Migration = {
  version: 3,
  name: 'annotation',
  up(db) {
    db.exec(SCHEMA)
  },
}
