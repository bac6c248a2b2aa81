/** Content hashing of photo files: the identity that survives renames and moves. */
import { createHash } from 'node:crypto'
import { constants } from 'node:fs'
import { open, type FileHandle } from 'node:fs/promises'
import { specialFileKind } from './walk.js'

/**
 * Opens `file` for reading without blocking on a named pipe (O_NONBLOCK), and refuses anything
 * that is not a regular file: a pipe would block and a device (/dev/zero) never ends.
 */
export async function openRegularFile(file: string): Promise<FileHandle> {
  const handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  try {
    const info = await handle.stat()
    if (!info.isFile()) {
      const kind = info.isDirectory() ? 'it is a folder' : specialFileKind(info)
      throw Object.assign(new Error(`${file}: ${kind}, not a photo file`), { code: info.isDirectory() ? 'EISDIR' : 'ENOTREG' })
    }
    return handle
  } catch (err) {
    await handle.close()
    throw err
  }
}

/** sha256 (hex) of a regular file's bytes, streamed. */
export async function hashFile(file: string): Promise<string> {
  const handle = await openRegularFile(file)
  const h = createHash('sha256')
  try {
    for await (const chunk of handle.createReadStream({ autoClose: false })) h.update(chunk as Buffer)
  } finally {
    await handle.close()
  }
  return h.digest('hex')
}

/** sha256 (hex) of bytes in memory: the same identity as `hashFile` of a file holding them. */
export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}
