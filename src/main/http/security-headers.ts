/**
 * The content security policy and the other security headers of every renderer response, shared
 * by the HTTP server and the Electron window. The renderer's index.html carries
 * {@link CSP_DIRECTIVES} in a meta tag (what both shells need); each shell also sends its own,
 * narrower policy as a header, and the browser enforces both.
 */
import { MEDIA_SCHEME } from '../../shared/api-contract.js'

export { MEDIA_SCHEME }

/**
 * The policy of both shells, as directives: images from the page, data: URLs and `media`; fetches
 * from the page and `media` (grid thumbnails are fetched, lib/services/thumbnails.ts).
 */
const directives = (media: string): string[] => [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  `img-src 'self' data:${media}`,
  "font-src 'self'",
  // 'self' also covers ws:// on the page's own host and port (the events socket).
  `connect-src 'self'${media}`,
  "base-uri 'none'",
  "form-action 'none'",
]

/** Directives allowed in the `<meta http-equiv="Content-Security-Policy">` of index.html. */
export const CSP_DIRECTIVES: readonly string[] = directives(` ${MEDIA_SCHEME}:`)

/** The header policy in browser mode: images from the server itself (`/media/...`) and data: only. */
export const BROWSER_CONTENT_SECURITY_POLICY = [...directives(''), "frame-ancestors 'none'"].join('; ')

/** The header policy of the Electron window: images and fetches also from the `constella-media:` scheme. */
export const ELECTRON_CONTENT_SECURITY_POLICY = [...CSP_DIRECTIVES, "frame-ancestors 'none'"].join('; ')

/** Headers sent with every response of the local server (the CSP applies to the pages it serves). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': BROWSER_CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
}
