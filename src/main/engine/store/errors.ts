/** Errors opening a library database, each with a message that names the file and what to do. */

/** Why a library database could not be opened. */
export type LibraryDbErrorCode = 'not-a-database' | 'foreign-database' | 'newer-version' | 'migration-failed'

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
