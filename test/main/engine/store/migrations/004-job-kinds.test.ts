import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrate, schemaVersion } from '../../../../../src/main/engine/store/migrate.js'
import { MIGRATIONS } from '../../../../../src/main/engine/store/migrations/index.js'
import { JOB_KINDS } from '../../../../../src/main/engine/store/migrations/004-job-kinds.js'
import { useTempDb } from '../helpers.js'

const tempDb = useTempDb()

function openAt(version: number): Database.Database {
  const file = tempDb()
  const db = new Database(file)
  db.pragma('foreign_keys = ON')
  migrate(db, file, MIGRATIONS, version)
  return db
}

describe('migration 004-job-kinds', () => {
  it('keeps the jobs and their problems of an older library, and their ids', () => {
    const db = openAt(3)
    db.prepare("INSERT INTO jobs (kind, title, state, args, done, total, started_at) VALUES ('index', 'Indexing /p', 'completed', '{\"roots\":[\"/p\"]}', 3, 3, 5)").run()
    db.prepare("INSERT INTO job_problems (job_id, path, reason, at) VALUES (1, '/p/a.jpg', 'not an image', 6)").run()
    migrate(db, 'test', MIGRATIONS, 4)
    expect(schemaVersion(db)).toBe(4)
    expect(db.prepare('SELECT id, kind, title, state, args, done, total, detail FROM jobs').all())
      .toEqual([{ id: 1, kind: 'index', title: 'Indexing /p', state: 'completed', args: '{"roots":["/p"]}', done: 3, total: 3, detail: null }])
    db.prepare("INSERT INTO jobs (kind, title, state, started_at) VALUES ('train', 't', 'queued', 7)").run()
    expect(db.prepare("SELECT id FROM jobs WHERE kind = 'train'").pluck().get()).toBe(2)
    db.prepare('DELETE FROM jobs WHERE id = 1').run()
    expect(db.prepare('SELECT count(*) FROM job_problems').pluck().get()).toBe(0) // still cascades
    expect(db.pragma('foreign_key_check')).toEqual([])
    db.close()
  })

  it('takes every job kind and a JSON detail, and refuses others', () => {
    const db = openAt(4)
    for (const kind of JOB_KINDS) db.prepare("INSERT INTO jobs (kind, title, state, started_at, detail) VALUES (?, 'x', 'queued', 1, '{\"kind\":\"x\"}')").run(kind)
    expect(db.prepare('SELECT count(*) FROM jobs').pluck().get()).toBe(JOB_KINDS.length)
    expect(() => db.prepare("INSERT INTO jobs (kind, title, state, started_at) VALUES ('bake', 'x', 'queued', 1)").run()).toThrow(/CHECK/)
    expect(() => db.prepare("INSERT INTO jobs (kind, title, state, started_at, detail) VALUES ('map', 'x', 'queued', 1, 'not json')").run()).toThrow(/CHECK/)
    db.close()
  })
})
