/**
 * Migration 5: scenes found without scene labels (SALGL section 3.3) and the embedding map.
 *
 * - `scene_models`: the scene model in force (the latest row): K, the feature method v comes from,
 *   its parameters (float32: standardisation, W, b), and the figures of its training.
 * - `scene_assignments`: each photo's pi (float32 x K), its scene (argmax), pi of that scene, the
 *   entropy of pi, and the effective positive labels that were counted for it (int32 class ids).
 * - `scene_counts`: C^s of SALGL eq. 7 with hard assignment (a photo counts in its argmax scene,
 *   as in the paper), one row per scene and label pair a <= b (a = b: photos with the label).
 * - `scene_totals`: per scene, photos, the sum of pi_k over all photos and of photo entropies
 *   (the balance of the assignment without reading every photo).
 * - `scene_dirty`: photos whose labels, feature or existence changed since they were counted;
 *   triggers mark them, whoever writes (indexing, annotation, import), and the next read of the
 *   scenes re-counts just those photos (see engine/scenes/scene-refresh.ts).
 * - `embedding_maps`: a 2-D layout of a photo embedding method (ids int32, xy float32 pairs).
 */
import type { Migration } from '../migrate.js'

/**
 * SQL: marks a photo for a re-count. Not `INSERT OR IGNORE`: inside a trigger the outer statement's
 * conflict policy wins (an upsert's ABORT would fail on a photo already marked).
 */
const mark = (id: string): string =>
  `INSERT INTO scene_dirty (photo_id) SELECT ${id} WHERE NOT EXISTS (SELECT 1 FROM scene_dirty WHERE photo_id = ${id});`

const SCHEMA = `
CREATE TABLE scene_models (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  k              INTEGER NOT NULL CHECK (k BETWEEN 1 AND 64),
  dims           INTEGER NOT NULL CHECK (dims > 0),
  method         TEXT NOT NULL CHECK (length(method) > 0),
  params         BLOB NOT NULL,
  seed           INTEGER NOT NULL,
  stats          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(stats)),
  trained_photos INTEGER NOT NULL CHECK (trained_photos >= 0),
  created_at     INTEGER NOT NULL
);

-- photo_id has no foreign key: a removed photo is un-counted from scene_counts by the refresh.
CREATE TABLE scene_assignments (
  photo_id    INTEGER PRIMARY KEY,
  scene       INTEGER NOT NULL CHECK (scene >= 0),
  confidence  REAL NOT NULL,
  entropy     REAL NOT NULL,
  pi          BLOB NOT NULL,
  labels      BLOB NOT NULL,
  model_id    INTEGER NOT NULL,
  assigned_at INTEGER NOT NULL
);
CREATE INDEX scene_assignments_scene ON scene_assignments (scene, confidence DESC);

CREATE TABLE scene_counts (
  scene INTEGER NOT NULL,
  a     INTEGER NOT NULL,
  b     INTEGER NOT NULL,
  n     INTEGER NOT NULL CHECK (n >= 0),
  PRIMARY KEY (scene, a, b),
  CHECK (a <= b)
) WITHOUT ROWID;

CREATE TABLE scene_totals (
  scene       INTEGER PRIMARY KEY,
  photos      INTEGER NOT NULL,
  pi_sum      REAL NOT NULL,
  entropy_sum REAL NOT NULL
);

CREATE TABLE scene_dirty (photo_id INTEGER PRIMARY KEY);
CREATE TRIGGER scene_dirty_label_insert AFTER INSERT ON labels
BEGIN ${mark('NEW.photo_id')} END;
CREATE TRIGGER scene_dirty_label_update AFTER UPDATE OF state, source, photo_id ON labels
BEGIN ${mark('NEW.photo_id')} END;
CREATE TRIGGER scene_dirty_label_delete AFTER DELETE ON labels
BEGIN ${mark('OLD.photo_id')} END;
CREATE TRIGGER scene_dirty_photo_delete AFTER DELETE ON photos
BEGIN ${mark('OLD.id')} END;
CREATE TRIGGER scene_dirty_feature_insert AFTER INSERT ON embeddings
WHEN NEW.object_id IS NULL AND NEW.method = 'feature-gap'
BEGIN ${mark('NEW.photo_id')} END;
CREATE TRIGGER scene_dirty_feature_delete AFTER DELETE ON embeddings
WHEN OLD.object_id IS NULL AND OLD.method = 'feature-gap'
BEGIN ${mark('OLD.photo_id')} END;

CREATE TABLE embedding_maps (
  method      TEXT PRIMARY KEY,
  count       INTEGER NOT NULL CHECK (count >= 0),
  ids         BLOB NOT NULL,
  xy          BLOB NOT NULL,
  params      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(params)),
  computed_at INTEGER NOT NULL
) WITHOUT ROWID;
`

/** Scene models, assignments, per-scene label co-occurrence and the embedding map. */
export const migration005: Migration = {
  version: 5,
  name: 'scenes',
  up(db) {
    db.exec(SCHEMA)
    // photos indexed before this migration are counted by the first `scenes.compute`
  },
}
