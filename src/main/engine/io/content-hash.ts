/** Content hashing of photo files: the identity that survives renames and moves. */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'

/** sha256 (hex) of a file's bytes, streamed. */
export function hashFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256')
    createReadStream(file)
      .on('data', (chunk) => h.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')))
  })
}
