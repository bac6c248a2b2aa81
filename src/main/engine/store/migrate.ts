/**
 * The migration runner: applies numbered schema migrations in order, each in its own
 * transaction together with the `user_version` bump, so a library is always at exactly one
 * schema version, even after a crash mid-upgrade.
 */
import type { Database } from 'better-sqlite3'
import { migrationFailed, newerVersion } from './errors.js'

/** "Cnst": marks the file as a Constella library (`PRAGMA application_id`). */
export const LIBRARY_APPLICATION_ID = 0x436e7374

/** One numbered schema change. `up` runs inside a transaction with foreign keys off (table rebuilds are allowed); it must not commit. */
export interface Migration {
  /** 1, 2, 3, ... with no gaps; the schema version after this migration. */
  version: number
  /** Short kebab-case description, as in the file name. */
  name: string
  up(db: Database): void
}

/** What a migration run did. */
export interface MigrationResult {
  from: number
  to: number
}

/** Throws unless the migrations are numbered 1..n in order. */
export function checkMigrationList(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`migration #${i} (${m.name}) has version ${m.version}, expected ${i + 1}`)
    }
  })
}

/** The schema version a database is at (`PRAGMA user_version`). */
export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number
}

/**
 * Brings `db` to `target` (default: the last migration). Foreign keys are switched off while
 * migrating, checked before each commit, and switched back on. A failing migration leaves the
 * database at the previous version and throws a `LibraryDbError` ("migration-failed").
 */
export function migrate(
  db: Database,
  file: string,
  migrations: readonly Migration[],
  target = migrations.length,
): MigrationResult {
  checkMigrationList(migrations)
  const from = schemaVersion(db)
  if (from > migrations.length) throw newerVersion(file, from, migrations.length)
  if (from >= target) return { from, to: from }
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number
  db.pragma('foreign_keys = OFF')
  try {
    for (const m of migrations.slice(from, target)) {
      try {
        db.transaction(() => {
          if (m.version === 1) db.pragma(`application_id = ${LIBRARY_APPLICATION_ID}`)
          m.up(db)
          const violations = db.pragma('foreign_key_check') as unknown[]
          if (violations.length > 0) throw new Error(`${violations.length} foreign key violation(s)`)
          db.pragma(`user_version = ${m.version}`)
        })()
      } catch (cause) {
        throw migrationFailed(file, m.version, m.name, cause)
      }
    }
  } finally {
    db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`)
  }
  return { from, to: target }
}
