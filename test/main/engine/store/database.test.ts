import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { commitDurably, openLibraryDb } from '../../../../src/main/engine/store/database.js'
import { LibraryDbError } from '../../../../src/main/engine/store/errors.js'
import { schemaVersion, type Migration } from '../../../../src/main/engine/store/migrate.js'
import { MIGRATIONS } from '../../../../src/main/engine/store/migrations/index.js'
import { useTempDb, useTempDirs } from './helpers.js'

const tempDb = useTempDb()
const tempDir = useTempDirs()

/** A pretend migration 002, to test upgrades before a real one exists. */
const addRating: Migration = {
  version: MIGRATIONS.length + 1,
  name: 'photo-rating',
  up(db) {
    db.exec('ALTER TABLE photos ADD COLUMN rating INTEGER NOT NULL DEFAULT 0')
  },
}

function openError(file: string, migrations = MIGRATIONS): LibraryDbError {
  try {
    openLibraryDb(file, { migrations }).close()
  } catch (error) {
    expect(error).toBeInstanceOf(LibraryDbError)
    return error as LibraryDbError
  }
  throw new Error('expected openLibraryDb to throw')
}

describe('openLibraryDb', () => {
  it('creates a migrated library in WAL mode with foreign keys, NORMAL sync and a busy timeout', () => {
    const file = join(tempDir(), 'nested', 'dir', 'library.db')
    const db = openLibraryDb(file)
    expect(schemaVersion(db)).toBe(MIGRATIONS.length)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('synchronous', { simple: true })).toBe(1) // NORMAL
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000)
    db.close()
    const again = openLibraryDb(file) // reopening applies nothing
    expect(schemaVersion(again)).toBe(MIGRATIONS.length)
    again.close()
  })

  it('refuses a file that is not an SQLite database, naming it, and leaves it unchanged', () => {
    const file = join(tempDir(), 'notes.db')
    writeFileSync(file, 'these are my notes, not a database\n'.repeat(20))
    const error = openError(file)
    expect(error.code).toBe('not-a-database')
    expect(error.message).toContain(file)
    expect(error.message).toMatch(/not an SQLite file.*move this file aside/s)
    expect(readFileSync(file, 'utf8')).toBe('these are my notes, not a database\n'.repeat(20))
  })

  it('refuses a short or SQLite-looking but corrupt header', () => {
    const file = join(tempDir(), 'short.db')
    writeFileSync(file, 'SQLite')
    expect(openError(file).code).toBe('not-a-database')
  })

  it('refuses another application\'s SQLite database', () => {
    const file = tempDb()
    const other = new Database(file)
    other.exec('CREATE TABLE contacts (name TEXT)')
    other.close()
    const error = openError(file)
    expect(error.code).toBe('foreign-database')
    expect(error.message).toContain(file)
  })

  it('refuses a library from a newer version without touching it', () => {
    const file = tempDb()
    openLibraryDb(file, { migrations: [...MIGRATIONS, addRating] }).close()
    const before = readFileSync(file)
    const error = openError(file)
    expect(error.code).toBe('newer-version')
    expect(error.message).toContain(file)
    expect(error.message).toContain(`schema version ${MIGRATIONS.length + 1}`)
    expect(error.message).toMatch(/Update Constella/)
    expect(readFileSync(file).equals(before)).toBe(true)
  })

  it('upgrades from the previous version and keeps the data', () => {
    const file = tempDb()
    const v1 = openLibraryDb(file)
    v1.prepare("INSERT INTO photos (path, content_hash, bytes, mtime_ms) VALUES ('/a.jpg', 'h', 1, 2)").run()
    v1.close()
    const v2 = openLibraryDb(file, { migrations: [...MIGRATIONS, addRating] })
    expect(schemaVersion(v2)).toBe(MIGRATIONS.length + 1)
    expect(v2.prepare('SELECT path, rating FROM photos').all()).toEqual([{ path: '/a.jpg', rating: 0 }])
    expect(v2.pragma('foreign_keys', { simple: true })).toBe(1)
    v2.close()
  })

  it('rolls a failing migration back and stays at the previous version', () => {
    const file = tempDb()
    openLibraryDb(file).close()
    const broken: Migration = {
      version: MIGRATIONS.length + 1,
      name: 'broken',
      up(db) {
        db.exec('ALTER TABLE photos ADD COLUMN rating INTEGER')
        db.exec('INSERT INTO no_such_table VALUES (1)')
      },
    }
    const error = openError(file, [...MIGRATIONS, broken])
    expect(error.code).toBe('migration-failed')
    expect(error.message).toMatch(/no_such_table/)
    const db = openLibraryDb(file)
    expect(schemaVersion(db)).toBe(MIGRATIONS.length)
    expect((db.prepare('PRAGMA table_info(photos)').all() as { name: string }[]).map((c) => c.name)).not.toContain('rating')
    db.close()
  })

  it('rejects a migration list with gaps', () => {
    const gap: Migration = { ...addRating, version: MIGRATIONS.length + 2 }
    expect(() => openLibraryDb(tempDb(), { migrations: [...MIGRATIONS, gap] })).toThrow(/expected/)
  })

  it('commits durably with synchronous FULL and returns to NORMAL', () => {
    const db = openLibraryDb(tempDb())
    const seen = commitDurably(db, () => {
      db.prepare("INSERT INTO runs (kind, status, started_at) VALUES ('index', 'running', 0)").run()
      return [db.inTransaction, db.pragma('synchronous', { simple: true })]
    })
    expect(seen).toEqual([true, 2]) // 2 = FULL
    expect(db.pragma('synchronous', { simple: true })).toBe(1)
    expect(() => commitDurably(db, () => { throw new Error('boom') })).toThrow('boom')
    expect(db.pragma('synchronous', { simple: true })).toBe(1)
    expect(db.prepare('SELECT count(*) AS n FROM runs').get()).toEqual({ n: 1 })
    db.close()
  })
})
