/** Content hashes: the identity of a photo's bytes, whatever its name or folder. */
import { createHash } from 'node:crypto'
import { copyFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { hashFile } from '../../../../src/main/engine/io/content-hash.js'
import { cocoFiles, tempFolder } from '../library/helpers.js'

const temp = tempFolder('constella-hash-')
afterAll(temp.cleanup)

describe('hashFile', () => {
  it('is the sha256 of the bytes, the same for a copy, a renamed and a moved file', async () => {
    const [src] = cocoFiles(1)
    const expected = createHash('sha256').update(readFileSync(src)).digest('hex')
    const copy = path.join(temp.dir, 'copy.jpg')
    copyFileSync(src, copy)
    expect(await hashFile(src)).toBe(expected)
    expect(await hashFile(copy)).toBe(expected)
    const moved = path.join(temp.dir, 'elsewhere', 'renamed.JPG')
    mkdirSync(path.dirname(moved))
    renameSync(copy, moved)
    expect(await hashFile(moved)).toBe(expected)
  })

  it('changes when a single byte changes, and hashes empty and large files', async () => {
    const [src] = cocoFiles(1, 1)
    const bytes = readFileSync(src)
    bytes[bytes.length >> 1] ^= 1
    const edited = path.join(temp.dir, 'edited.jpg')
    writeFileSync(edited, bytes)
    expect(await hashFile(edited)).not.toBe(await hashFile(src))
    const empty = path.join(temp.dir, 'empty.jpg')
    writeFileSync(empty, '')
    expect(await hashFile(empty)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    const large = Buffer.alloc(5 << 20, 0x5a) // several stream chunks
    const big = path.join(temp.dir, 'big.tif')
    writeFileSync(big, large)
    expect(await hashFile(big)).toBe(createHash('sha256').update(large).digest('hex'))
  })

  it('rejects for a missing file', async () => {
    await expect(hashFile(path.join(temp.dir, 'missing.jpg'))).rejects.toThrow(/ENOENT/)
  })
})
