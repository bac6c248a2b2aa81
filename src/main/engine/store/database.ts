/**
 * Opening a library database: SQLite through better-sqlite3, in WAL mode, migrated to the
 * schema this build knows.
 *
 * Durability: `synchronous = NORMAL` by default. In WAL mode a committed transaction survives
 * any crash of the process (kill -9 included) and the file stays consistent on power loss,
 * where only the last commits may be lost; indexing results can be recomputed, so that is the
 * right trade. Human corrections cannot be recomputed: they commit through `commitDurably`,
 * which switches to `synchronous = FULL` (fsync of the WAL at commit) for that transaction.
 *
 * Concurrency: one process writes a library (it holds `library.lock`, see library-lock.ts); others
 * open it read-only (`readOnly: true`), which in WAL mode never blocks the writer. Every
 * transaction of a writable connection begins IMMEDIATE (it takes the write lock up front), so a
 * read-then-write transaction can never fail half-way with SQLITE_BUSY_SNAPSHOT.
 */
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { asLibraryDbError, damagedDatabase, foreignDatabase, missingDatabase, needsUpgrade, newerVersion, notADatabase } from './errors.js'
import { LIBRARY_APPLICATION_ID, migrate, schemaVersion, type Migration } from './migrate.js'
import { MIGRATIONS } from './migrations/index.js'

/** A better-sqlite3 connection. */
export type LibraryDb = Database.Database

/** Options of `openLibraryDb`. */
export interface OpenLibraryDbOptions {
  /** The migrations to apply (tests pass their own lists); default: all of this build. */
  migrations?: readonly Migration[]
  /** How long a statement waits for another connection's lock, default 5000 ms. */
  busyTimeoutMs?: number
  /**
   * Open an existing library for reading only: no migration, no write, no lock needed; reads
   * see the last commit of the writing process. Throws a `LibraryDbError` ('missing',
   * 'needs-upgrade') when the file does not exist or is at an older schema version.
   */
  readOnly?: boolean
}

const SQLITE_HEADER = 'SQLite format 3\0'

/** True if `file` exists, is not empty, and does not start with the SQLite header. */
function hasForeignHeader(file: string): boolean {
  if (!existsSync(file) || !statSync(file).isFile() || statSync(file).size === 0) return false
  const fd = openSync(file, 'r')
  try {
    const head = Buffer.alloc(16)
    const n = readSync(fd, head, 0, 16, 0)
    return n < 16 || head.toString('latin1') !== SQLITE_HEADER
  } finally {
    closeSync(fd)
  }
}

/**
 * Reads a pragma, turning "file is not a database" into a `LibraryDbError`: 'not-a-database'
 * for a file without the SQLite header, 'damaged' for an SQLite file whose first page is garbled.
 */
function readPragma(db: LibraryDb, file: string, name: string): number {
  try {
    return db.pragma(name, { simple: true }) as number
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_NOTADB') throw file === ':memory:' ? error : damagedDatabase(file, error)
    throw error
  }
}

/** Makes every `db.transaction(fn)()` of this connection BEGIN IMMEDIATE (nested calls stay savepoints). */
function immediateByDefault(db: LibraryDb): void {
  const transaction = db.transaction.bind(db)
  db.transaction = ((fn: Parameters<LibraryDb['transaction']>[0]) => {
    const t = transaction(fn)
    return Object.assign((...args: unknown[]) => t.immediate(...args), {
      default: t.immediate, deferred: t.deferred, immediate: t.immediate, exclusive: t.exclusive,
    })
  }) as LibraryDb['transaction']
}

/** Opens an existing library read-only (see `OpenLibraryDbOptions.readOnly`). */
function openReadOnly(file: string, migrations: readonly Migration[], busyTimeoutMs: number): LibraryDb {
  if (!existsSync(file)) throw missingDatabase(file)
  if (hasForeignHeader(file)) throw notADatabase(file)
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`)
    const version = readPragma(db, file, 'user_version')
    const applicationId = readPragma(db, file, 'application_id')
    if (applicationId !== LIBRARY_APPLICATION_ID) throw foreignDatabase(file, applicationId)
    if (version > migrations.length) throw newerVersion(file, version, migrations.length)
    if (version < migrations.length) throw needsUpgrade(file, version, migrations.length)
    return db
  } catch (error) {
    db.close()
    throw asLibraryDbError(file, error)
  }
}

/**
 * Opens (creating if needed) the library database at `file` and migrates it. Throws a
 * `LibraryDbError` without changing the file when it is not an SQLite database, belongs to
 * another application, or was written by a newer Constella.
 */
export function openLibraryDb(file: string, options: OpenLibraryDbOptions = {}): LibraryDb {
  const migrations = options.migrations ?? MIGRATIONS
  if (options.readOnly) return openReadOnly(file, migrations, options.busyTimeoutMs ?? 5000)
  const inMemory = file === ':memory:'
  if (!inMemory) {
    if (hasForeignHeader(file)) throw notADatabase(file)
    mkdirSync(dirname(file), { recursive: true })
  }
  const db = new Database(file)
  immediateByDefault(db)
  try {
    const version = readPragma(db, file, 'user_version')
    const applicationId = readPragma(db, file, 'application_id')
    const objects = db.prepare('SELECT count(*) AS n FROM sqlite_schema').get() as { n: number }
    if (objects.n > 0 && applicationId !== LIBRARY_APPLICATION_ID) throw foreignDatabase(file, applicationId)
    if (version > migrations.length) throw newerVersion(file, version, migrations.length)
    const mode = db.pragma('journal_mode = WAL', { simple: true }) as string
    if (!inMemory && mode !== 'wal') throw new Error(`${file}: SQLite refused WAL mode (got "${mode}"); put the library on a local disk`)
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`)
    migrate(db, file, migrations)
    return db
  } catch (error) {
    db.close()
    throw inMemory ? error : asLibraryDbError(file, error)
  }
}

/**
 * Runs `fn` in a transaction committed with `synchronous = FULL`, so the commit is on disk
 * (not only in the OS cache) when this returns. Inside an outer transaction it only runs `fn`:
 * the outer commit decides, and SQLite cannot change the setting mid-transaction.
 */
export function commitDurably<T>(db: LibraryDb, fn: () => T): T {
  if (db.inTransaction) return fn()
  db.pragma('synchronous = FULL')
  try {
    return db.transaction(fn)()
  } finally {
    db.pragma('synchronous = NORMAL')
  }
}

export { schemaVersion }
