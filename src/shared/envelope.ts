/**
 * The reply shape of every API call, on every transport (IPC and HTTP): a value, or an error with
 * a machine-readable code. Handlers never throw across a transport; they return an envelope.
 */

/** Why a call failed. */
export type ApiErrorCode =
  /** The request did not match the channel's schema. */
  | 'bad-request'
  /** No such channel in the contract. */
  | 'unknown-channel'
  /** The caller is not our own app (IPC sender or HTTP origin check failed). */
  | 'forbidden'
  /** Browser mode: no valid session token (open the link `constella serve` printed). */
  | 'unauthorized'
  /** The photo, object, folder, job or upload named by the request does not exist (any more). */
  | 'not-found'
  /** This channel cannot work in this mode (e.g. the native folder dialog in browser mode). */
  | 'unsupported'
  /** The library cannot do this right now (e.g. it has no indexed photo yet); the message says what to do. */
  | 'busy'
  /** The model pack is missing or unreadable; the message names the rebuild command. */
  | 'pack-unavailable'
  /** Anything else; the message says what happened. */
  | 'internal'

/** The error half of an envelope. */
export interface ApiErrorInfo {
  code: ApiErrorCode
  message: string
}

/** A successful reply. */
export interface OkEnvelope<T> {
  ok: true
  value: T
}

/** A failed reply. */
export interface ErrorEnvelope {
  ok: false
  error: ApiErrorInfo
}

/** What every API call resolves to. */
export type Envelope<T> = OkEnvelope<T> | ErrorEnvelope

/** Wraps a value in a successful envelope. */
export function ok<T>(value: T): OkEnvelope<T> {
  return { ok: true, value }
}

/** Builds a failed envelope. */
export function fail(code: ApiErrorCode, message: string): ErrorEnvelope {
  return { ok: false, error: { code, message } }
}

/**
 * An error a service may throw to choose the envelope's code (anything else becomes `internal`).
 * Also thrown by the renderer's client when it unwraps a failed envelope.
 */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/** True when `x` has the shape of an envelope (used by clients on untrusted transport output). */
export function isEnvelope(x: unknown): x is Envelope<unknown> {
  if (typeof x !== 'object' || x === null || !('ok' in x)) return false
  const e = x as { ok: unknown; value?: unknown; error?: { code?: unknown; message?: unknown } }
  if (e.ok === true) return 'value' in e
  return e.ok === false && typeof e.error?.code === 'string' && typeof e.error.message === 'string'
}
