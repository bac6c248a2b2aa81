/**
 * The browser-mode secret. Every start makes a random token; the URL `constella serve` prints
 * carries it once (`/?token=…`), and the page's first load trades it for an HttpOnly,
 * SameSite=Strict cookie. Every API, WebSocket and media request must present it (cookie, or an
 * `Authorization: Bearer` header for scripts and tests).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** A fresh session token: 32 random bytes, base64url (43 characters). */
export function createSessionToken(): string {
  return randomBytes(32).toString('base64url')
}

/**
 * The cookie that carries the token. Cookies are scoped by host, not by port, so the name carries
 * the port: two servers on one machine never overwrite each other's session.
 */
export function sessionCookieName(port: number): string {
  return `constella-session-${port}`
}

/** The `Set-Cookie` value of a session (a browser-session cookie: no Max-Age, gone with the browser). */
export function sessionCookie(port: number, token: string): string {
  return `${sessionCookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest()

/** Compares a presented token with the real one in constant time (any length, any content). */
export function tokenMatches(presented: string | undefined | null, token: string): boolean {
  if (!presented) return false
  return timingSafeEqual(digest(presented), digest(token))
}

/** The value of cookie `name` in a `Cookie` header, or undefined. */
export function readCookie(header: string | undefined | null, name: string): string | undefined {
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function readBearer(header: string | undefined | null): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
  return match?.[1]
}

/** What a request presents: its Cookie and Authorization headers. */
export interface CredentialHeaders {
  cookie?: string | null
  authorization?: string | null
}

/** True when a request carries the session token in its cookie or a Bearer header. */
export function hasValidSession(headers: CredentialHeaders, port: number, token: string): boolean {
  return (
    tokenMatches(readCookie(headers.cookie, sessionCookieName(port)), token) ||
    tokenMatches(readBearer(headers.authorization), token)
  )
}
