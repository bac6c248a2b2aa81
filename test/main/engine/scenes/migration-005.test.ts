/**
 * Migration 005-scenes on a library at schema 4 with photos and labels: the scene tables appear,
 * and every way a photo's labels or context feature change (an upsert of a human label too, whose
 * conflict policy overrides a trigger's) marks the photo for a re-count, once.
 */
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrate, schemaVersion } from '../../../../src/main/engine/store/migrate.js'
import { MIGRATIONS } from '../../../../src/main/engine/store/migrations/index.js'
import { useTempDb } from '../store/helpers.js'

const tempDb = useTempDb()

describe('migration 005-scenes', () => {
  it('adds the scene tables to a library that has photos, and marks changed photos for a re-count', () => {
    const file = tempDb()
    const db = new Database(file)
    db.pragma('foreign_keys = ON')
    migrate(db, file, MIGRATIONS, 4)
    db.prepare("INSERT INTO photos (path, content_hash, bytes, mtime_ms) VALUES ('/a.jpg', 'h', 1, 1), ('/b.jpg', 'i', 1, 1)").run()
    db.prepare("INSERT INTO labels (photo_id, class_id, source, state, model_version, confidence, updated_at) VALUES (1, 16, 'model', 'positive', 'm@1', 0.7, 1)").run()
    migrate(db, file, MIGRATIONS)
    expect(schemaVersion(db)).toBe(5)
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all()
    expect(tables).toEqual(expect.arrayContaining(['scene_models', 'scene_assignments', 'scene_counts', 'scene_totals', 'scene_dirty', 'embedding_maps']))
    const dirty = (): number[] => db.prepare('SELECT photo_id FROM scene_dirty ORDER BY photo_id').pluck().all() as number[]
    expect(dirty()).toEqual([])
    const upsert = db.prepare(`INSERT INTO labels (photo_id, class_id, source, state, updated_at, origin) VALUES (1, 16, 'human', ?, 2, 'hand')
      ON CONFLICT (photo_id, class_id, source) DO UPDATE SET state = excluded.state`)
    upsert.run('negative')
    upsert.run('positive') // the photo is marked already: no conflict
    expect(dirty()).toEqual([1])
    db.prepare("INSERT INTO embeddings (photo_id, method, model_version, dims, vector, created_at) VALUES (2, 'feature-gap', 'm@1', 1, x'00000000', 1)").run()
    expect(dirty()).toEqual([1, 2])
    db.prepare('DELETE FROM scene_dirty').run()
    db.prepare('DELETE FROM photos WHERE id = 2').run()
    expect(dirty()).toEqual([2])
    db.close()
  })
})
