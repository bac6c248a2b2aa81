/**
 * The `constella-media://` protocol: the renderer's only way to load local photos, and only from
 * the library folders in the settings. URLs look like `constella-media://library/<absolute path>`.
 */
import { realpath } from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { net, protocol } from 'electron'
import { MEDIA_SCHEME } from './http/security-headers.js'

export { MEDIA_SCHEME }

/** Image types the protocol serves; anything else is refused even inside a library folder. */
export const MEDIA_EXTENSIONS: ReadonlySet<string> = new Set(['.jpg', '.jpeg', '.png', '.webp', '.avif', '.gif', '.tif', '.tiff', '.bmp'])

/**
 * True when `target` is an absolute path strictly inside one of the absolute `roots` (after
 * resolving `.`/`..`). Pure: symlinks must be resolved by the caller. `p` selects path semantics
 * (posix or win32; win32 compares case-insensitively and refuses other drives).
 */
export function isInsideLibrary(target: string, roots: readonly string[], p: path.PlatformPath = path): boolean {
  if (!target || target.includes('\0') || !p.isAbsolute(target)) return false
  const resolved = p.resolve(target)
  return roots.some((root) => {
    if (!root || root.includes('\0') || !p.isAbsolute(root)) return false
    const rel = p.relative(p.resolve(root), resolved)
    return rel !== '' && rel !== '..' && !rel.startsWith(`..${p.sep}`) && !p.isAbsolute(rel)
  })
}

/** The file path a media URL names, or null when it is not a `constella-media://library/` URL. */
export function mediaUrlToPath(url: string, p: path.PlatformPath = path): string | null {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return null
  }
  if (parsed.protocol !== `${MEDIA_SCHEME}:` || parsed.hostname !== 'library') return null
  let file: string
  try {
    file = decodeURIComponent(parsed.pathname)
  } catch {
    return null
  }
  if (p.sep === '\\') file = file.replace(/^\/([A-Za-z]:)/, '$1')
  return p.normalize(file)
}

/** Declares the scheme's privileges; must run before `app` is ready. */
export function registerMediaScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, stream: true } }])
}

/** Serves library photos; `libraryRoots` is read on every request so settings changes apply at once. */
export function setupProtocol(libraryRoots: () => readonly string[]): void {
  protocol.handle(MEDIA_SCHEME, async (request) => {
    const file = mediaUrlToPath(request.url)
    if (!file || !MEDIA_EXTENSIONS.has(path.extname(file).toLowerCase())) return new Response('not found', { status: 404 })
    const real = await realpath(file).catch(() => null)
    const roots = await Promise.all(libraryRoots().map((root) => realpath(root).catch(() => root)))
    if (!real || !isInsideLibrary(real, roots)) return new Response('outside the library folders', { status: 403 })
    return net.fetch(pathToFileURL(real).toString())
  })
}
