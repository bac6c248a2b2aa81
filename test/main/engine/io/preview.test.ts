/** Cached photo-view previews from real photos: beside the thumbnail, size, orientation, reuse. */
import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import { hashFile } from '../../../../src/main/engine/io/content-hash.js'
import { ensurePreview, PREVIEW_SIDE, previewPath } from '../../../../src/main/engine/io/preview.js'
import { thumbnailPath } from '../../../../src/main/engine/io/thumbnail.js'
import { decodePhoto } from '../../../../src/main/engine/pipeline/decode.js'
import { cocoFiles, tempFolder } from '../library/helpers.js'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const c of cleanups.splice(0)) c()
})
function temp(): string {
  const t = tempFolder('constella-previews-')
  cleanups.push(t.cleanup)
  return t.dir
}

describe('ensurePreview', () => {
  it('writes the decoded photo at its own size as a JPEG beside its thumbnail, once', async () => {
    const dir = temp()
    const [file] = cocoFiles(1)
    const hash = await hashFile(file)
    const photo = await decodePhoto(file)
    const preview = await ensurePreview(dir, hash, photo)
    expect(preview).toBe(previewPath(dir, hash))
    expect(path.dirname(preview)).toBe(path.dirname(thumbnailPath(dir, hash)))
    const meta = await sharp(preview).metadata()
    expect({ format: meta.format, width: meta.width, height: meta.height }).toEqual({ format: 'jpeg', width: photo.width, height: photo.height })
    expect(readdirSync(path.dirname(preview))).toEqual([path.basename(preview)]) // no temp file left
    const written = statSync(preview).mtimeMs
    expect(await ensurePreview(dir, hash, photo)).toBe(preview)
    expect(statSync(preview).mtimeMs).toBe(written)
  })

  it('fits a large photo read from its file into PREVIEW_SIDE, upright', async () => {
    const dir = temp()
    const [source] = cocoFiles(1, 3)
    // a 4800-px-wide photo stored sideways (EXIF orientation 6: shown rotated 90°)
    const big = path.join(dir, 'big.jpg')
    await sharp(source).resize(4800, 3200, { fit: 'fill' }).withMetadata({ orientation: 6 }).jpeg().toFile(big)
    const photo = await decodePhoto(big)
    expect(photo.original).toEqual({ width: 3200, height: 4800 })
    const preview = await ensurePreview(path.join(dir, 'thumbs'), await hashFile(big), { file: big, maxPixels: 100_000_000 })
    const meta = await sharp(preview).metadata()
    expect({ width: meta.width, height: meta.height }).toEqual({ width: Math.round((PREVIEW_SIDE * 3200) / 4800), height: PREVIEW_SIDE })
  })
})
