/**
 * Recursive photo discovery: follows symlinks once (loops are detected by real path, and a file
 * reached by several links is listed once), never throws on an unreadable folder (it is
 * reported), skips hidden entries, and keeps only photo extensions.
 */
import { readdir, realpath, stat } from 'node:fs/promises'
import path from 'node:path'

/**
 * Extensions of files that are treated as photos: what the decoder supports (sharp's prebuilt
 * libvips), plus HEIC/HEIF, which it cannot decode but which phones produce: listing them makes
 * each one a failed photo with a reason the user can act on instead of a silently ignored file.
 */
export const PHOTO_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.avif', '.tif', '.tiff', '.gif', '.heic', '.heif'])

/** The supported photo formats in words, for messages. */
export const SUPPORTED_PHOTOS = 'JPEG, PNG, WebP, AVIF, TIFF or GIF files (.jpg .jpeg .png .webp .avif .tif .tiff .gif)'

/** What a walk found. */
export interface WalkResult {
  /** Absolute paths of candidate photos, sorted. */
  files: string[]
  /** Folders or files that could not be read, with the reason. */
  problems: { path: string; reason: string }[]
}

/** Walks `roots` (files or folders) for photos. */
export async function walkPhotos(roots: string[]): Promise<WalkResult> {
  const files = new Set<string>()
  const problems: WalkResult['problems'] = []
  const visited = new Set<string>()
  const seenFiles = new Set<string>()
  /** The root being walked (a special file given as a root is reported whatever its name). */
  let currentRoot = ''

  async function visit(p: string): Promise<void> {
    let real: string
    let info: Awaited<ReturnType<typeof stat>>
    try {
      real = await realpath(p)
      info = await stat(real)
    } catch (err) {
      problems.push({ path: p, reason: describe(err) })
      return
    }
    if (info.isFile()) {
      if (!PHOTO_EXTENSIONS.has(path.extname(p).toLowerCase()) || seenFiles.has(real)) return
      seenFiles.add(real)
      files.add(path.resolve(p))
      return
    }
    if (!info.isDirectory()) {
      // Reading a pipe blocks and a device never ends: refuse them before anything opens them.
      if (PHOTO_EXTENSIONS.has(path.extname(p).toLowerCase()) || p === currentRoot) {
        problems.push({ path: p, reason: `${specialFileKind(info)}, not a photo file` })
      }
      return
    }
    if (visited.has(real)) return
    visited.add(real)
    let entries: string[]
    try {
      entries = await readdir(p)
    } catch (err) {
      problems.push({ path: p, reason: describe(err) })
      return
    }
    for (const name of entries.sort()) {
      if (name.startsWith('.')) continue
      await visit(path.join(p, name))
    }
  }

  for (const root of roots) {
    currentRoot = path.resolve(root)
    await visit(currentRoot)
  }
  return { files: [...files].sort(), problems }
}

/** What a file that is neither a regular file nor a folder is, in words. */
export function specialFileKind(info: { isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (info.isFIFO()) return 'it is a named pipe (FIFO)'
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'it is a device file'
  if (info.isSocket()) return 'it is a socket'
  return 'it is not a regular file'
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException
  if (e.code === 'EACCES' || e.code === 'EPERM') return 'permission denied'
  if (e.code === 'ENOENT') return 'does not exist (or is a broken link)'
  if (e.code === 'ELOOP') return 'symbolic link loop'
  return e.message
}
