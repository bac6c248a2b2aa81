/** Errors opening a library database, each with a message that names the file and what to do. */

/** Why a library database could not be opened. */
export type LibraryDbErrorCode =
  | 'not-a-database' | 'foreign-database' | 'newer-version' | 'migration-failed' | 'damaged' | 'needs-upgrade' | 'missing'

/** A library database that cannot be used as is; the file was left unchanged. */
export class LibraryDbError extends Error {
  override readonly name = 'LibraryDbError'

  constructor(
    readonly code: LibraryDbErrorCode,
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/** The file exists but is not an SQLite database. */
export function notADatabase(file: string, cause?: unknown): LibraryDbError {
  return new LibraryDbError(
    'not-a-database',
    file,
    `${file} is not a Constella library database (it is not an SQLite file). ` +
      'Choose the library database file, or move this file aside so that a new library can be created there. ' +
      'The file was not changed.',
    { cause },
  )
}

/** An SQLite database written by another application. */
export function foreignDatabase(file: string, applicationId: number): LibraryDbError {
  return new LibraryDbError(
    'foreign-database',
    file,
    `${file} is an SQLite database of another application (application_id ${applicationId}), ` +
      'not a Constella library. Choose another file or folder for the library. The file was not changed.',
  )
}

/** A library whose schema is newer than this build knows. */
export function newerVersion(file: string, found: number, known: number): LibraryDbError {
  return new LibraryDbError(
    'newer-version',
    file,
    `${file} was written by a newer version of Constella (schema version ${found}; this version knows up to ${known}). ` +
      'Update Constella to open this library. The file was not changed.',
  )
}

/** A migration threw; its transaction was rolled back. */
export function migrationFailed(file: string, version: number, name: string, cause: unknown): LibraryDbError {
  const reason = cause instanceof Error ? cause.message : String(cause)
  return new LibraryDbError(
    'migration-failed',
    file,
    `Upgrading ${file} to schema version ${version} (${name}) failed: ${reason}. ` +
      'The library was left at its previous version; please report this with the file.',
    { cause },
  )
}

/** True for SQLite's "the file is damaged" errors (SQLITE_CORRUPT*, SQLITE_NOTADB). */
export function isDatabaseCorruption(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')
}

/** A library database with a damaged page (a disk or copy error, or a file changed by another program). */
export function damagedDatabase(file: string, cause?: unknown): LibraryDbError {
  const detail = cause instanceof Error ? ` (SQLite: ${cause.message})` : ''
  return new LibraryDbError(
    'damaged',
    file,
    `The library database ${file} is damaged${detail}. Restore it from a backup; ` +
      'or move it aside (keep it for inspection) and rebuild the library by indexing its photo folders again, ' +
      'e.g. `constella index <folder...> --library <folder of this file>`: the photos themselves are not affected, ' +
      'but labels and boxes made by hand are lost unless the backup has them.',
    { cause },
  )
}

/** `error` itself, or the `damaged` error for `file` when it is an SQLite corruption error. */
export function asLibraryDbError(file: string, error: unknown): unknown {
  return isDatabaseCorruption(error) && !(error instanceof LibraryDbError) ? damagedDatabase(file, error) : error
}

/** A read-only open of a library that does not exist yet. */
export function missingDatabase(file: string): LibraryDbError {
  return new LibraryDbError('missing', file, `there is no library database at ${file}: index a folder into it first (constella index <folder>)`)
}

/** A read-only open of a library at an older schema version (only a writer may upgrade it). */
export function needsUpgrade(file: string, found: number, known: number): LibraryDbError {
  return new LibraryDbError(
    'needs-upgrade',
    file,
    `${file} is at schema version ${found}; this version of Constella reads version ${known}. ` +
      'Open it once for writing (the app, or `constella index`) to upgrade it, then try again.',
  )
}
