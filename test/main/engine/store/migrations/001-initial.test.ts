import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { LIBRARY_APPLICATION_ID, migrate, schemaVersion } from '../../../../../src/main/engine/store/migrate.js'
import { MIGRATIONS } from '../../../../../src/main/engine/store/migrations/index.js'
import { useTempDb } from '../helpers.js'

const tempDb = useTempDb()

function freshAtVersion1(): Database.Database {
  const file = tempDb()
  const db = new Database(file)
  db.pragma('foreign_keys = ON')
  expect(migrate(db, file, MIGRATIONS, 1)).toEqual({ from: 0, to: 1 })
  return db
}

function names(db: Database.Database, type: string): string[] {
  return (db.prepare("SELECT name FROM sqlite_schema WHERE type = ? AND name NOT LIKE 'sqlite_%' ORDER BY name").all(type) as { name: string }[]).map((r) => r.name)
}

const blob = (floats: number[]) => Buffer.from(new Float32Array(floats).buffer)

function seed(db: Database.Database): { photo: number; object: number } {
  db.prepare("INSERT INTO photos (path, content_hash, bytes, mtime_ms) VALUES ('/a.jpg', 'h1', 10, 1)").run()
  db.prepare("INSERT INTO objects (photo_id, x1, y1, x2, y2, class_id, score, source, model_version, created_at) VALUES (1, 0, 0, 5, 5, 3, 0.9, 'detector', 'm@1', 0)").run()
  return { photo: 1, object: 1 }
}

describe('migration 001-initial', () => {
  it('creates every table, index and trigger on an empty database', () => {
    const db = freshAtVersion1()
    expect(schemaVersion(db)).toBe(1)
    expect(db.pragma('application_id', { simple: true })).toBe(LIBRARY_APPLICATION_ID)
    expect(names(db, 'table')).toEqual(['embeddings', 'label_history', 'labels', 'model_versions', 'objects', 'photos', 'runs'])
    expect(names(db, 'index')).toEqual(expect.arrayContaining([
      'photos_content_hash', 'photos_status', 'photos_run', 'objects_photo', 'objects_class', 'labels_class_state',
      'label_history_photo', 'embeddings_photo_method', 'embeddings_object_method', 'embeddings_method', 'runs_kind_status',
    ]))
    expect(names(db, 'trigger')).toEqual(['label_history_no_delete', 'label_history_no_update'])
    db.close()
  })

  it('enforces photo constraints: unique path, status values, error iff failed', () => {
    const db = freshAtVersion1()
    seed(db)
    expect(() => db.prepare("INSERT INTO photos (path, content_hash, bytes, mtime_ms) VALUES ('/a.jpg', 'h2', 1, 1)").run()).toThrow(/UNIQUE/)
    expect(() => db.prepare("UPDATE photos SET status = 'done'").run()).toThrow(/CHECK/)
    expect(() => db.prepare("UPDATE photos SET status = 'failed'").run()).toThrow(/CHECK/)
    db.prepare("UPDATE photos SET status = 'failed', error = 'HEIC is not supported'").run()
    expect(() => db.prepare("UPDATE photos SET status = 'indexed'").run()).toThrow(/CHECK/)
    db.close()
  })

  it('never reuses the id of a deleted photo', () => {
    const db = freshAtVersion1()
    seed(db)
    db.prepare('DELETE FROM photos').run()
    const id = db.prepare("INSERT INTO photos (path, content_hash, bytes, mtime_ms) VALUES ('/b.jpg', 'h2', 1, 1)").run().lastInsertRowid
    expect(Number(id)).toBe(2)
    db.close()
  })

  it('checks boxes, scores and provenance of objects', () => {
    const db = freshAtVersion1()
    seed(db)
    const insert = db.prepare('INSERT INTO objects (photo_id, x1, y1, x2, y2, class_id, score, source, model_version, created_at) VALUES (?, ?, 0, ?, 5, 1, ?, ?, ?, 0)')
    expect(() => insert.run(1, 10, 5, 0.5, 'detector', 'm')).toThrow(/CHECK/) // x2 < x1
    expect(() => insert.run(1, 0, 5, 1.5, 'detector', 'm')).toThrow(/CHECK/) // score > 1
    expect(() => insert.run(1, 0, 5, 0.5, 'detector', null)).toThrow(/CHECK/) // detector without model version
    expect(() => insert.run(99, 0, 5, 0.5, 'detector', 'm')).toThrow(/FOREIGN KEY/)
    expect(() => insert.run(1, 0, 5, null, 'human', null)).not.toThrow()
    db.close()
  })

  it('keeps one label per photo, class and source, and checks states', () => {
    const db = freshAtVersion1()
    seed(db)
    const insert = db.prepare('INSERT INTO labels (photo_id, class_id, source, state, model_version, confidence, updated_at) VALUES (1, 3, ?, ?, ?, ?, 0)')
    insert.run('model', 'positive', 'm', 0.8)
    insert.run('human', 'negative', null, null)
    expect(() => insert.run('model', 'negative', 'm', 0.2)).toThrow(/UNIQUE|PRIMARY/)
    expect(() => db.prepare("INSERT INTO labels VALUES (1, 4, 'model', 'maybe', 'm', 0.5, 0)").run()).toThrow(/CHECK/)
    db.close()
  })

  it('makes label_history append-only', () => {
    const db = freshAtVersion1()
    seed(db)
    db.prepare("INSERT INTO label_history (photo_id, content_hash, class_id, new_state, actor, at) VALUES (1, 'h1', 3, 'positive', 'ana', 0)").run()
    expect(() => db.prepare("UPDATE label_history SET new_state = 'negative'").run()).toThrow(/append-only/)
    expect(() => db.prepare('DELETE FROM label_history').run()).toThrow(/append-only/)
    db.prepare('DELETE FROM photos').run() // the history outlives its photo
    expect(db.prepare('SELECT count(*) AS n FROM label_history').get()).toEqual({ n: 1 })
    db.close()
  })

  it('keeps one vector per owner and method, of the declared size, and cascades deletes', () => {
    const db = freshAtVersion1()
    seed(db)
    const insert = db.prepare("INSERT INTO embeddings (photo_id, object_id, method, model_version, dims, vector, created_at) VALUES (?, ?, ?, 'm', ?, ?, 0)")
    insert.run(1, null, 'gat', 2, blob([1, 2]))
    insert.run(1, 1, 'gat', 2, blob([3, 4]))
    insert.run(1, 1, 'gap', 2, blob([3, 4]))
    expect(() => insert.run(1, null, 'gat', 2, blob([5, 6]))).toThrow(/UNIQUE/)
    expect(() => insert.run(1, 1, 'gat', 2, blob([5, 6]))).toThrow(/UNIQUE/)
    expect(() => insert.run(1, null, 'other', 3, blob([5, 6]))).toThrow(/CHECK/)
    db.prepare("INSERT INTO photos (path, content_hash, bytes, mtime_ms) VALUES ('/b.jpg', 'h2', 1, 1)").run()
    expect(() => insert.run(2, 1, 'x', 2, blob([5, 6]))).toThrow(/FOREIGN KEY/) // object 1 is not photo 2's
    db.prepare('DELETE FROM objects WHERE id = 1').run()
    expect(db.prepare('SELECT count(*) AS n FROM embeddings').get()).toEqual({ n: 1 })
    db.prepare('DELETE FROM photos WHERE id = 1').run()
    expect(db.prepare('SELECT count(*) AS n FROM embeddings').get()).toEqual({ n: 0 })
    db.close()
  })

  it('checks runs and model versions', () => {
    const db = freshAtVersion1()
    expect(() => db.prepare("INSERT INTO runs (kind, status, started_at, counts) VALUES ('index', 'running', 0, 'not json')").run()).toThrow(/CHECK/)
    expect(() => db.prepare("INSERT INTO runs (kind, status, started_at) VALUES ('dance', 'running', 0)").run()).toThrow(/CHECK/)
    db.prepare("INSERT INTO runs (kind, status, started_at) VALUES ('index', 'running', 0)").run()
    db.prepare("INSERT INTO photos (path, content_hash, bytes, mtime_ms, run_id) VALUES ('/a.jpg', 'h', 1, 1, 1)").run()
    db.prepare('DELETE FROM runs').run()
    expect(db.prepare('SELECT run_id FROM photos').get()).toEqual({ run_id: null })
    expect(() => db.prepare("INSERT INTO model_versions VALUES ('d@1', 'd', 'detector', 'abc', 'npm', 0)").run()).toThrow(/CHECK/)
    db.close()
  })
})
