/** Cached thumbnails from real decoded photos: size, orientation, reuse and atomic writes. */
import { readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import { hashFile } from '../../../../src/main/engine/io/content-hash.js'
import { ensureThumbnail, THUMBNAIL_SIZE, thumbnailPath } from '../../../../src/main/engine/io/thumbnail.js'
import { decodePhoto } from '../../../../src/main/engine/pipeline/decode.js'
import { cocoFiles, tempFolder } from '../library/helpers.js'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const c of cleanups.splice(0)) c()
})
function temp(): string {
  const t = tempFolder('constella-thumbs-')
  cleanups.push(t.cleanup)
  return t.dir
}

describe('ensureThumbnail', () => {
  it('writes a WebP of at most 320 px on the long side, sharded by hash, with the photo aspect', async () => {
    const dir = temp()
    const [file] = cocoFiles(1)
    const hash = await hashFile(file)
    const photo = await decodePhoto(file)
    const thumb = await ensureThumbnail(dir, hash, photo.rgb, photo.width, photo.height)
    expect(thumb).toBe(thumbnailPath(dir, hash))
    expect(path.relative(dir, thumb)).toBe(path.join(hash.slice(0, 2), `${hash}.jpg`))
    const meta = await sharp(thumb).metadata()
    expect(meta.format).toBe('jpeg')
    expect(Math.max(meta.width!, meta.height!)).toBe(THUMBNAIL_SIZE)
    expect(meta.width! / meta.height!).toBeCloseTo(photo.width / photo.height, 1)
    // Only the finished file is left in the shard folder (written to a temp name, then renamed).
    expect(readdirSync(path.dirname(thumb))).toEqual([`${hash}.jpg`])
  })

  it('keeps a portrait photo portrait and never enlarges a small one', async () => {
    const dir = temp()
    const [file] = cocoFiles(1, 3)
    const photo = await decodePhoto(file)
    // The photo turned sideways: a portrait image.
    const { data, info } = await sharp(photo.rgb, { raw: { width: photo.width, height: photo.height, channels: 3 } })
      .rotate(90).raw().toBuffer({ resolveWithObject: true })
    const portrait = await ensureThumbnail(dir, 'ab'.repeat(32), new Uint8Array(data), info.width, info.height)
    const p = await sharp(portrait).metadata()
    expect([p.height, p.width! < p.height!]).toEqual([THUMBNAIL_SIZE, true])
    const small = new Uint8Array(40 * 30 * 3).fill(128)
    const s = await sharp(await ensureThumbnail(dir, 'cd'.repeat(32), small, 40, 30)).metadata()
    expect([s.width, s.height]).toEqual([40, 30])
  })

  it('reuses an existing thumbnail of the same content without re-encoding it', async () => {
    const dir = temp()
    const hash = 'ef'.repeat(32)
    const file = thumbnailPath(dir, hash)
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(file, 'already there')
    const pixels = new Uint8Array(64 * 48 * 3)
    expect(await ensureThumbnail(dir, hash, pixels, 64, 48)).toBe(file)
    expect(statSync(file).size).toBe('already there'.length)
  })
})
