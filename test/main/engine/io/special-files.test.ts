/**
 * Files that are not photos although they are named like one: a named pipe (reading it would
 * block forever) and a device (/dev/zero never ends) are refused before anything reads them, by
 * the walk, the hash and the decoder, and an index run goes on past them. Truncated photos are
 * classified by their bytes, the same under concurrency as alone.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashFile } from '../../../../src/main/engine/io/content-hash.js'
import { walkPhotos } from '../../../../src/main/engine/io/walk.js'
import { decodePhoto, missingEndMarker, PhotoDecodeError } from '../../../../src/main/engine/pipeline/decode.js'
import { killStartedClis, runCli } from '../library/cli-process.js'
import { copyCocoPhotos, tempFolder } from '../library/helpers.js'

const temp = tempFolder('constella-special-')
const photos = path.join(temp.dir, 'photos')
const fifo = path.join(photos, 'pipe.jpg')
const device = path.join(photos, 'zero.jpg')

beforeAll(() => {
  copyCocoPhotos(photos, 2, 300)
  const made = spawnSync('mkfifo', [fifo])
  if (made.status !== 0) throw new Error(`mkfifo failed: ${made.stderr}`)
  symlinkSync('/dev/zero', device)
})
afterAll(() => {
  killStartedClis()
  temp.cleanup()
})

/** Rejects if `promise` has not settled within `ms` (a read that blocks would hang the test). */
function within<T>(promise: Promise<T>, ms = 5000): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms))])
}

describe('named pipes and devices named like photos', () => {
  it('are reported by the walk, not listed as photos', async () => {
    const walk = await walkPhotos([photos, '/dev/null'])
    expect(walk.files.map((f) => path.basename(f))).toHaveLength(2)
    expect(walk.problems).toEqual([
      { path: fifo, reason: 'it is a named pipe (FIFO), not a photo file' },
      { path: device, reason: 'it is a device file, not a photo file' },
      { path: '/dev/null', reason: 'it is a device file, not a photo file' },
    ])
  })

  it('are refused at once by the hash and the decoder', async () => {
    for (const [file, kind] of [[fifo, 'a named pipe (FIFO)'], [device, 'a device file']]) {
      await expect(within(hashFile(file))).rejects.toThrow(`it is ${kind}, not a photo file`)
      const error = await within(decodePhoto(file).then(() => undefined, (e: unknown) => e))
      expect(error).toBeInstanceOf(PhotoDecodeError)
      expect(error).toMatchObject({ reason: 'unreadable', message: `cannot read photo ${file}: it is ${kind}, not a photo file. Only regular photo files can be read; leave it out` })
    }
  })

  it('do not stop an index run: the photos are indexed, the others reported', { timeout: 300_000 }, async () => {
    const r = await runCli(['index', photos, '--library', path.join(temp.dir, 'library'), '--json'])
    expect(r.code, r.stderr).toBe(0)
    const report = JSON.parse(r.stdout) as { indexed: number; failed: unknown[]; unreadable: { path: string; reason: string }[] }
    expect(report).toMatchObject({ indexed: 2, failed: [] })
    expect(report.unreadable).toEqual([
      { path: fifo, reason: 'it is a named pipe (FIFO), not a photo file' },
      { path: device, reason: 'it is a device file, not a photo file' },
    ])
  })
})

describe('truncated photos', () => {
  it('are told by their missing end marker, the same for every one of many concurrent decodes', async () => {
    const [source] = copyCocoPhotos(path.join(temp.dir, 'cut'), 1, 310)
    const jpeg = readFileSync(source)
    const png = await sharp(source).png().toBuffer()
    const gif = await sharp(source).gif().toBuffer()
    const files: string[] = []
    for (const [ext, bytes] of [['jpg', jpeg], ['png', png], ['gif', gif]] as const) {
      for (const cut of [0.3, 0.5, 0.7, 0.9]) {
        const file = path.join(temp.dir, 'cut', `cut-${cut}.${ext}`)
        writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length * cut)))
        files.push(file)
      }
    }
    for (let round = 0; round < 3; round++) {
      const errors = await Promise.all([...files, ...files].map((f) => decodePhoto(f).then(() => undefined, (e: unknown) => e as PhotoDecodeError)))
      expect(errors.map((e) => [path.basename(e!.file), e!.reason])).toEqual([...files, ...files].map((f) => [path.basename(f), 'truncated']))
      for (const e of errors) expect(e!.message).toMatch(/data is cut short or damaged/)
    }
  })

  it('read the end marker from the bytes', () => {
    const jpegEnd = Uint8Array.of(0x12, 0x34, 0xff, 0xd9)
    expect(missingEndMarker('jpeg', jpegEnd)).toBe(false)
    expect(missingEndMarker('jpeg', Uint8Array.of(0xff, 0xd9, 0, 0, 0))).toBe(false) // zero padding after EOI
    expect(missingEndMarker('jpeg', Uint8Array.of(0xff, 0xd9, 0x12))).toBe(true)
    expect(missingEndMarker('png', new TextEncoder().encode('....IEND\xaeB`\x82'))).toBe(false)
    expect(missingEndMarker('png', new TextEncoder().encode('....IDAT....'))).toBe(true)
    expect(missingEndMarker('gif', Uint8Array.of(0x00, 0x3b))).toBe(false)
    expect(missingEndMarker('webp', Uint8Array.of(1, 2, 3))).toBeUndefined()
  })
})
