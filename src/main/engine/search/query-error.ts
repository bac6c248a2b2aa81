/** Why a query (or a photo graph) cannot be resolved, in words the user can act on. */

/** Why a query cannot be resolved. */
export type QueryErrorCode =
  | 'no-such-file' | 'no-such-photo' | 'not-indexed' | 'no-such-object' | 'no-embedding' | 'bad-box' | 'empty-library'

/** A query that cannot be run; the message says what is wrong and what to do. */
export class QueryError extends Error {
  constructor(readonly code: QueryErrorCode, message: string) {
    super(message)
    this.name = 'QueryError'
  }
}
