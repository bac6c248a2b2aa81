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

function names(db: Database.Database, type: string): string[] {
  return (db.prepare("SELECT name FROM sqlite_schema WHERE type = ? AND name NOT LIKE 'sqlite_%' ORDER BY name").all(type) as { name: string }[]).map((r) => r.name)
}

const addPhoto = (db: Database.Database, path: string): number =>
  Number(db.prepare("INSERT INTO photos (path, content_hash, bytes, mtime_ms) VALUES (?, 'h', 1, 1)").run(path).lastInsertRowid)

/** Inserts a detector object (score) or a human one (score null). */
function addObject(db: Database.Database, photoId: number, box: number[], classId: number, score: number | null): number {
  const human = score === null
  return Number(db.prepare(`INSERT INTO objects (photo_id, x1, y1, x2, y2, class_id, score, source, model_version, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`).run(photoId, ...box, classId, score, human ? 'human' : 'detector', human ? null : 'm@1').lastInsertRowid)
}

const objectCount = (db: Database.Database, id: number): number =>
  db.prepare('SELECT object_count FROM photos WHERE id = ?').pluck().get(id) as number

describe('migration 002-workbench', () => {
  it('adds the folders, settings, jobs and job problems tables, the photo columns, triggers and grid indexes', () => {
    const db = openAt(2)
    expect(schemaVersion(db)).toBe(2)
    expect(names(db, 'table')).toEqual(expect.arrayContaining(['folders', 'settings', 'jobs', 'job_problems']))
    expect(names(db, 'index')).toEqual(expect.arrayContaining(['photos_name', 'photos_objects', 'photos_indexed_at', 'photos_path_status', 'jobs_state', 'job_problems_job']))
    expect(names(db, 'trigger')).toEqual(expect.arrayContaining(['objects_count_insert', 'objects_count_delete', 'objects_count_update']))
    const columns = (db.pragma('table_xinfo(photos)') as { name: string }[]).map((c) => c.name)
    expect(columns).toEqual(expect.arrayContaining(['object_count', 'name']))
    db.close()
  })

  it('counts the objects of photos that existed before it ran, one per physical object', () => {
    const db = openAt(1)
    const photo = addPhoto(db, '/p/a.jpg')
    addObject(db, photo, [0, 0, 100, 100], 16, 0.9) // dog
    addObject(db, photo, [0, 0, 100, 95], 15, 0.4) // cat on the same box: an alternative, IoU 0.95
    addObject(db, photo, [200, 0, 300, 100], 0, 0.8) // a person elsewhere
    migrate(db, 'test', MIGRATIONS)
    expect(objectCount(db, photo)).toBe(2)
    db.close()
  })

  it('keeps object_count right through inserts, deletes, box edits and human boxes', () => {
    const db = openAt(2)
    const photo = addPhoto(db, '/p/a.jpg')
    const other = addPhoto(db, '/p/b.jpg')
    expect(objectCount(db, photo)).toBe(0)
    const dog = addObject(db, photo, [0, 0, 100, 100], 16, 0.9)
    expect(objectCount(db, photo)).toBe(1)
    const cat = addObject(db, photo, [2, 2, 100, 100], 15, 0.5)
    expect(objectCount(db, photo)).toBe(1) // IoU 0.96 with the dog: the same object
    addObject(db, photo, [0, 0, 50, 100], 0, 0.6) // IoU 0.5: another object
    expect(objectCount(db, photo)).toBe(2)
    addObject(db, photo, [0, 0, 100, 100], 17, null) // drawn by a person: always counts
    expect(objectCount(db, photo)).toBe(3)
    db.prepare('DELETE FROM objects WHERE id = ?').run(dog)
    expect(objectCount(db, photo)).toBe(3) // the cat stands alone now
    db.prepare('UPDATE objects SET x1 = 300, x2 = 400 WHERE id = ?').run(cat)
    expect(objectCount(db, photo)).toBe(3)
    db.prepare('UPDATE objects SET photo_id = ? WHERE id = ?').run(other, cat)
    expect([objectCount(db, photo), objectCount(db, other)]).toEqual([2, 1])
    db.prepare('DELETE FROM photos WHERE id = ?').run(other) // cascade: the trigger meets a deleted photo
    expect(db.prepare('SELECT count(*) FROM objects WHERE photo_id = ?').pluck().get(other)).toBe(0)
    db.close()
  })

  it('breaks score ties by id, so two same-score guesses on one box are one object', () => {
    const db = openAt(2)
    const photo = addPhoto(db, '/p/a.jpg')
    addObject(db, photo, [0, 0, 10, 10], 1, 0.5)
    addObject(db, photo, [0, 0, 10, 10], 2, 0.5)
    expect(objectCount(db, photo)).toBe(1)
    db.close()
  })

  it('derives the file name from the path, for / and \\ separators', () => {
    const db = openAt(2)
    for (const p of ['/home/ann/Pictures/IMG_0001.JPG', 'C:\\Users\\ann\\dog.png', 'bare.jpg', '/a/b.c/d.e.jpg']) addPhoto(db, p)
    expect(db.prepare('SELECT name FROM photos ORDER BY id').pluck().all()).toEqual(['IMG_0001.JPG', 'dog.png', 'bare.jpg', 'd.e.jpg'])
    // NOCASE: the name index orders case-insensitively
    expect(db.prepare("SELECT count(*) FROM photos WHERE name = 'img_0001.jpg'").pluck().get()).toBe(1)
    db.close()
  })

  it('checks job and settings values', () => {
    const db = openAt(2)
    expect(() => db.prepare("INSERT INTO jobs (kind, title, state, started_at) VALUES ('index', 't', 'paused', 0)").run()).toThrow(/CHECK/)
    expect(() => db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('k', 'not json', 0)").run()).toThrow(/CHECK/)
    const job = db.prepare("INSERT INTO jobs (kind, title, state, started_at) VALUES ('index', 't', 'queued', 0)").run().lastInsertRowid
    db.prepare("INSERT INTO job_problems (job_id, path, reason, at) VALUES (?, '/p/x.jpg', 'broken', 0)").run(job)
    expect(() => db.prepare("INSERT INTO job_problems (job_id, path, reason, at) VALUES (99, '/p/x.jpg', 'broken', 0)").run()).toThrow(/FOREIGN KEY/)
    db.prepare('DELETE FROM jobs').run()
    expect(db.prepare('SELECT count(*) FROM job_problems').pluck().get()).toBe(0)
    db.close()
  })
})
