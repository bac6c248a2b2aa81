/**
 * Serves the built renderer (out/renderer) read-only: GET/HEAD, no directory listing, no dotfiles,
 * no path escaping the root.
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { Readable } from 'node:stream'

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
}

/**
 * Maps a URL path to a file inside `root`, or null when it would leave the root, names a dotfile
 * or is malformed. "/" maps to index.html.
 */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return null
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '')
  if (relative.split('/').some((part) => part.startsWith('.'))) return null
  const resolvedRoot = path.resolve(root)
  const file = path.resolve(resolvedRoot, relative)
  const inside = path.relative(resolvedRoot, file)
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) return null
  return file
}

/** A read stream of `file` as a web stream (a Response body). */
export function fileBody(file: string): ReadableStream<Uint8Array> {
  return Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>
}

/**
 * Vite content-hashes everything under assets/ (kept for a year); index.html is always
 * revalidated (it names this build's assets); any other file is kept for a day. (The favicon is a
 * data: URL in index.html: Chromium asks for the favicon again at every in-page navigation, each
 * photo opened.)
 */
function cacheControl(urlPath: string, file: string): string {
  if (urlPath.startsWith('/assets/')) return 'public, max-age=31536000, immutable'
  return path.extname(file).toLowerCase() === '.html' ? 'no-cache' : 'public, max-age=86400'
}

/** Answers a GET/HEAD for a renderer file; null when no such file exists (the caller sends 404). */
export async function serveStaticFile(root: string, urlPath: string, method: string): Promise<Response | null> {
  const file = resolveStaticPath(root, urlPath)
  if (!file) return null
  const info = await stat(file).catch(() => null)
  if (!info?.isFile()) return null
  const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream'
  const headers = { 'Content-Type': type, 'Content-Length': String(info.size), 'Cache-Control': cacheControl(urlPath, file) }
  return new Response(method === 'HEAD' ? null : fileBody(file), { status: 200, headers })
}
