/**
 * The server-side folder browser of browser mode: the sub-folders of a folder with how many photo
 * files each holds directly (by the supported extensions), hidden folders skipped, an unreadable
 * folder reported (photos: null) rather than thrown. Directories only; nothing is read but names.
 */
import type { Dirent } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { FolderListing, FolderListingEntry } from '../../shared/api-contract.js'
import { ApiError } from '../../shared/envelope.js'
import { PHOTO_EXTENSIONS } from '../engine/io/walk.js'

/** Sub-folders listed at most (the rest are left out; the user can type a path). */
export const MAX_ENTRIES = 2000

const isPhoto = (name: string) => !name.startsWith('.') && PHOTO_EXTENSIONS.has(path.extname(name).toLowerCase())

/** Whether a directory entry is a folder (following a symbolic link). */
async function isFolder(dir: string, e: Dirent): Promise<boolean> {
  if (e.isDirectory()) return true
  if (!e.isSymbolicLink()) return false
  return (await stat(path.join(dir, e.name)).catch(() => undefined))?.isDirectory() ?? false
}

/** Photo files directly inside `dir` and whether it has visible sub-folders; null photos when unreadable. */
async function describe(dir: string): Promise<{ photos: number | null; hasFolders: boolean }> {
  let entries: Dirent[]
  try {
    entries = await readdir(dir, { withFileTypes: true })
  } catch {
    return { photos: null, hasFolders: false }
  }
  let photos = 0
  let hasFolders = false
  for (const e of entries) {
    if (e.name.startsWith('.')) continue
    if (isPhoto(e.name) && !e.isDirectory()) photos++
    else if (!hasFolders && (e.isDirectory() || e.isSymbolicLink())) hasFolders = await isFolder(dir, e)
  }
  return { photos, hasFolders }
}

/** Lists the sub-folders of `input` (default: the home folder). */
export async function browseFolders(input?: string): Promise<FolderListing> {
  const home = os.homedir()
  if (input !== undefined && !path.isAbsolute(input)) throw new ApiError('bad-request', `give a full path, not "${input}"`)
  const dir = path.resolve(input ?? home)
  const info = await stat(dir).catch(() => undefined)
  if (!info) throw new ApiError('not-found', `there is no folder ${dir}`)
  if (!info.isDirectory()) throw new ApiError('bad-request', `${dir} is a file, not a folder`)
  let entries: Dirent[]
  try {
    entries = await readdir(dir, { withFileTypes: true })
  } catch (err) {
    throw new ApiError('bad-request', `cannot read the folder ${dir} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`)
  }
  const visible = entries.filter((e) => !e.name.startsWith('.'))
  const folders: Dirent[] = []
  for (const e of visible) if (folders.length < MAX_ENTRIES && (await isFolder(dir, e))) folders.push(e)
  folders.sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true }))
  const listed: FolderListingEntry[] = []
  for (const e of folders) {
    const full = path.join(dir, e.name)
    listed.push({ name: e.name, path: full, ...(await describe(full)) })
  }
  const root = path.parse(dir).root
  return {
    path: dir,
    parent: dir === root ? null : path.dirname(dir),
    photos: visible.filter((e) => !e.isDirectory() && isPhoto(e.name)).length,
    entries: listed,
    places: [{ name: 'Home', path: home }, { name: root, path: root }],
  }
}
