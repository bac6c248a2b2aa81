/**
 * Engine errors in the API's terms: a query or photo the user named that does not exist becomes
 * `not-found`, a request that cannot work as given `bad-request`, a library with nothing to search
 * yet `busy`; the messages are the engine's (they say what to do), CLI advice reworded for the app.
 */
import { ApiError, type ApiErrorCode } from '../../shared/envelope.js'
import { PhotoDecodeError } from '../engine/pipeline/decode.js'
import { QueryError, type QueryErrorCode } from '../engine/search/query-error.js'

const QUERY_CODES: Record<QueryErrorCode, ApiErrorCode> = {
  'no-such-file': 'not-found',
  'no-such-photo': 'not-found',
  'no-such-object': 'not-found',
  'not-indexed': 'bad-request',
  'no-embedding': 'bad-request',
  'bad-box': 'bad-request',
  'empty-library': 'busy',
}

/** Rewords command-line advice ("run constella index ...") for the app. */
function forTheApp(message: string): string {
  return message
    .replace(/run `?constella index <folder>`? first/g, 'add a folder and let it index first')
    .replace(/;? ?run `?constella index`? again/g, '; rescan its folder')
    .replace(/retry with: constella index --retry-failed/g, 'then rescan its folder')
}

/** `err` as an ApiError when the engine says it is the caller's (or the library's) state; else `err`. */
export function toApiError(err: unknown): unknown {
  if (err instanceof ApiError) return err
  if (err instanceof QueryError) return new ApiError(QUERY_CODES[err.code] ?? 'bad-request', forTheApp(err.message))
  if (err instanceof PhotoDecodeError) return new ApiError('bad-request', err.message)
  return err
}
