/**
 * One writer, many readers: a writer's transactions take the write lock when they begin
 * (IMMEDIATE), so no other connection can commit between their reads and writes (the cause of
 * SQLITE_BUSY_SNAPSHOT); a read-only open reads beside an open write transaction and can never
 * write, migrate or create anything.
 */
import { existsSync } from 'node:fs'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { openLibraryDb } from '../../../../src/main/engine/store/database.js'
import { LibraryDbError } from '../../../../src/main/engine/store/errors.js'
import { LibraryStore } from '../../../../src/main/engine/store/library-store.js'
import { MIGRATIONS } from '../../../../src/main/engine/store/migrations/index.js'
import { useTempDb } from './helpers.js'

const tempDb = useTempDb()

describe('readers and the writer', () => {
  it('takes the write lock at BEGIN, so no one commits between a transaction\'s read and its write', () => {
    const file = tempDb()
    const writer = LibraryStore.open(file)
    const other = new Database(file)
    other.pragma('busy_timeout = 0')
    try {
      const outcome = writer.transaction(() => {
        const before = writer.runs.list().length
        let otherWrite = 'committed'
        try {
          other.prepare("INSERT INTO runs (kind, status, started_at) VALUES ('index', 'running', 1)").run()
        } catch (e) {
          otherWrite = (e as { code: string }).code
        }
        writer.runs.start('eval')
        return { before, otherWrite }
      })
      // Deferred, the other connection's insert would have committed and the writer's own write
      // would then have failed with SQLITE_BUSY_SNAPSHOT.
      expect(outcome).toEqual({ before: 0, otherWrite: 'SQLITE_BUSY' })
      expect(writer.runs.list().map((r) => r.kind)).toEqual(['eval'])
    } finally {
      other.close()
      writer.close()
    }
  })

  it('opens read-only beside a write transaction, sees only commits, and never writes', () => {
    const file = tempDb()
    const writer = LibraryStore.open(file)
    writer.runs.start('index')
    const reader = LibraryStore.open(file, { readOnly: true })
    try {
      expect(reader.readOnly).toBe(true)
      writer.transaction(() => {
        writer.runs.start('eval')
        expect(reader.runs.list().map((r) => r.kind)).toEqual(['index']) // not blocked, not dirty
      })
      expect(reader.runs.list().map((r) => r.kind)).toEqual(['eval', 'index'])
      expect(() => reader.runs.start('train')).toThrow(/readonly/i)
      const second = LibraryStore.open(file, { readOnly: true }) // readers are not exclusive
      second.close()
    } finally {
      reader.close()
      writer.close()
    }
  })

  it('refuses a missing or not yet upgraded library read-only, creating nothing', () => {
    const missing = tempDb()
    expect(() => openLibraryDb(missing, { readOnly: true })).toThrow(LibraryDbError)
    expect(() => openLibraryDb(missing, { readOnly: true })).toThrow(/there is no library database at .*index a folder into it first/)
    expect(existsSync(missing)).toBe(false)

    const old = tempDb()
    openLibraryDb(old, { migrations: MIGRATIONS.slice(0, 1) }).close()
    let error: LibraryDbError | undefined
    try {
      openLibraryDb(old, { readOnly: true })
    } catch (e) {
      error = e as LibraryDbError
    }
    if (MIGRATIONS.length > 1) {
      expect(error?.code).toBe('needs-upgrade')
      expect(error?.message).toMatch(/Open it once for writing \(the app, or `constella index`\) to upgrade it/)
    }
  })
})
