/**
 * The content security policy and the other security headers of every renderer response, shared
 * by the HTTP server and the Electron window (the renderer's index.html carries the same policy
 * in a meta tag, minus the directives a meta tag cannot carry).
 */

/** Scheme of local library images (see ../protocol.ts). */
export const MEDIA_SCHEME = 'constella-media'

/** Directives allowed in the `<meta http-equiv="Content-Security-Policy">` of index.html. */
export const CSP_DIRECTIVES: readonly string[] = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  `img-src 'self' data: ${MEDIA_SCHEME}:`,
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
]

/** The full policy sent as an HTTP header (adds what only a header can say). */
export const CONTENT_SECURITY_POLICY = [...CSP_DIRECTIVES, "frame-ancestors 'none'"].join('; ')

/** Headers sent with every response of the local server. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
}
