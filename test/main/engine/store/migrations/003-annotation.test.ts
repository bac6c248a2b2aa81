import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrate, schemaVersion } from '../../../../../src/main/engine/store/migrate.js'
import { MIGRATIONS } from '../../../../../src/main/engine/store/migrations/index.js'
import { useTempDb } from '../helpers.js'

const tempDb = useTempDb()

function openAt(version: number): Database.Database {
  const file = tempDb()
  const db = new Database(file)
  db.pragma('foreign_keys = ON')
  migrate(db, file, MIGRATIONS, version)
  return db
}

const columns = (db: Database.Database, table: string): string[] => (db.pragma(`table_xinfo(${table})`) as { name: string }[]).map((c) => c.name)

describe('migration 003-annotation', () => {
  it('adds the correction log, trash, vocabulary, review mark and provenance columns', () => {
    const db = openAt(3)
    expect(schemaVersion(db)).toBe(3)
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all()
    expect(tables).toEqual(expect.arrayContaining(['edits', 'corrections', 'object_trash', 'object_trash_embeddings', 'vocabulary']))
    expect(columns(db, 'photos')).toContain('reviewed_at')
    expect(columns(db, 'labels')).toContain('origin')
    expect(columns(db, 'objects')).toContain('detector_original')
    db.close()
  })

  it('marks the human labels of an older library as set by hand, and leaves model rows alone', () => {
    const db = openAt(2)
    db.prepare("INSERT INTO photos (path, content_hash, bytes, mtime_ms) VALUES ('/a.jpg', 'h', 1, 1)").run()
    db.prepare("INSERT INTO labels (photo_id, class_id, source, state, updated_at) VALUES (1, 16, 'human', 'positive', 1)").run()
    db.prepare("INSERT INTO labels (photo_id, class_id, source, state, model_version, confidence, updated_at) VALUES (1, 16, 'model', 'positive', 'm@1', 0.7, 1)").run()
    migrate(db, 'test', MIGRATIONS)
    expect(db.prepare('SELECT source, origin FROM labels ORDER BY source').all()).toEqual([{ source: 'human', origin: 'hand' }, { source: 'model', origin: null }])
    db.close()
  })

  it('keeps edits and corrections append-only and checks their rows', () => {
    const db = openAt(3)
    db.prepare("INSERT INTO edits (actor, action, at) VALUES ('ana', 'set-label', 1)").run()
    db.prepare("INSERT INTO corrections (edit_id, photo_id, content_hash, target, class_id, before, after) VALUES (1, 1, 'h', 'label', 16, NULL, '{\"state\":\"positive\"}')").run()
    expect(() => db.prepare("UPDATE edits SET actor = 'ben'").run()).toThrow(/edits is append-only/)
    expect(() => db.prepare('DELETE FROM corrections').run()).toThrow(/corrections is append-only/)
    expect(() => db.prepare("INSERT INTO corrections (edit_id, photo_id, content_hash, target, class_id) VALUES (1, 1, 'h', 'box', 3)").run()).toThrow(/CHECK/)
    expect(() => db.prepare("INSERT INTO corrections (edit_id, photo_id, content_hash, target, class_id, after) VALUES (1, 1, 'h', 'label', 3, 'not json')").run()).toThrow(/CHECK/)
    expect(() => db.prepare("INSERT INTO corrections (edit_id, photo_id, content_hash, target, class_id) VALUES (9, 1, 'h', 'label', 3)").run()).toThrow(/FOREIGN KEY/)
    expect(() => db.prepare("INSERT INTO vocabulary (class_id, name, added_by, added_at) VALUES (80, 'lamp', 'ana', 1)").run()).toThrow(/CHECK/)
    db.prepare("INSERT INTO vocabulary (class_id, name, added_by, added_at) VALUES (1000, 'lamp', 'ana', 1)").run()
    expect(() => db.prepare("INSERT INTO vocabulary (class_id, name, added_by, added_at) VALUES (1001, 'Lamp', 'ana', 1)").run()).toThrow(/UNIQUE/)
    db.close()
  })
})
