import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import sharp, { type Sharp } from 'sharp'
import { decodePhoto, PhotoDecodeError } from '../../../../src/main/engine/pipeline/decode.js'
import { sniffFormat } from '../../../../src/main/engine/pipeline/photo-format.js'
import { bombPng } from '../../../support/bomb-png.js'

const DATA = '/work/shared/data/coco-dev'
const labels = JSON.parse(await readFile(path.join(DATA, 'labels.json'), 'utf8')) as { images: { file: string; width: number; height: number }[] }
const PHOTO = path.join(DATA, 'images', '000000000139.jpg') // 640 x 426
let dir: string

beforeAll(async () => { dir = await mkdtemp(path.join(tmpdir(), 'constella-decode-')) })
afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

/** Mean absolute difference of two equally sized RGB images. */
function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).toBe(b.length)
  let sum = 0
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i])
  return sum / a.length
}

/** Runs `decodePhoto` and returns the PhotoDecodeError it throws. */
async function decodeError(file: string, options?: { maxPixels?: number }): Promise<PhotoDecodeError> {
  const err = await decodePhoto(file, options).then(() => null, (e: unknown) => e)
  expect(err).toBeInstanceOf(PhotoDecodeError)
  const e = err as PhotoDecodeError
  expect(e.file).toBe(file)
  expect(e.message).toContain(file)
  return e
}

describe('decodePhoto on real photos', () => {
  it('decodes coco-dev JPEGs to upright sRGB bytes with their labelled sizes', async () => {
    for (const image of labels.images.slice(0, 8)) {
      const photo = await decodePhoto(path.join(DATA, 'images', image.file))
      expect([photo.width, photo.height, photo.format, photo.orientation]).toEqual([image.width, image.height, 'jpeg', 1])
      expect(photo.rgb).toBeInstanceOf(Uint8Array)
      expect(photo.rgb.length).toBe(image.width * image.height * 3)
    }
  })

  it('applies EXIF orientation 6 (rotate 90 degrees clockwise)', async () => {
    const original = await decodePhoto(PHOTO)
    const rotatedFile = path.join(dir, 'rotated.jpg')
    await sharp(PHOTO).jpeg({ quality: 100, chromaSubsampling: '4:4:4' }).withMetadata({ orientation: 6 }).toFile(rotatedFile)
    const rotated = await decodePhoto(rotatedFile)
    expect([rotated.width, rotated.height, rotated.orientation]).toEqual([426, 640, 6])
    const W = original.width
    const H = original.height
    const expected = new Uint8Array(W * H * 3)
    const wrongWay = new Uint8Array(W * H * 3)
    // Displayed (row r, col c) of a 90-degree clockwise turn = original (row H-1-c, col r).
    for (let r = 0; r < W; r++) {
      for (let c = 0; c < H; c++) {
        for (let k = 0; k < 3; k++) {
          expected[(r * H + c) * 3 + k] = original.rgb[((H - 1 - c) * W + r) * 3 + k]
          wrongWay[(r * H + c) * 3 + k] = original.rgb[(c * W + (W - 1 - r)) * 3 + k]
        }
      }
    }
    expect(meanAbsDiff(rotated.rgb, expected)).toBeLessThan(2)
    expect(meanAbsDiff(rotated.rgb, wrongWay)).toBeGreaterThan(20)
  })

  it('reads PNG, WebP, AVIF, TIFF and GIF copies of a photo to the same pixels', async () => {
    const reference = await decodePhoto(PHOTO)
    const encoders: [string, (s: Sharp) => Sharp, number][] = [
      ['png', (s) => s.png(), 0],
      ['webp', (s) => s.webp({ quality: 95 }), 4],
      ['avif', (s) => s.avif({ quality: 90, effort: 0 }), 5],
      ['tiff', (s) => s.tiff({ compression: 'lzw' }), 0],
      ['gif', (s) => s.gif(), 12],
    ]
    for (const [format, encode, tolerance] of encoders) {
      const file = path.join(dir, `copy.${format}`)
      await encode(sharp(reference.rgb, { raw: { width: reference.width, height: reference.height, channels: 3 } })).toFile(file)
      const photo = await decodePhoto(file)
      expect([photo.format, photo.width, photo.height]).toEqual([format, 640, 426])
      expect(meanAbsDiff(photo.rgb, reference.rgb)).toBeLessThanOrEqual(tolerance)
    }
  })

  it('flattens transparency onto white and turns CMYK, grey and 16-bit images into 8-bit sRGB', async () => {
    const rgba = new Uint8Array(4 * 2 * 4)
    for (let p = 0; p < 8; p++) rgba.set(p % 4 < 2 ? [255, 0, 0, 0] : [0, 0, 255, 255], p * 4) // left half: transparent red
    const alphaFile = path.join(dir, 'alpha.png')
    await sharp(rgba, { raw: { width: 4, height: 2, channels: 4 } }).png().toFile(alphaFile)
    const flat = await decodePhoto(alphaFile)
    expect(Array.from(flat.rgb.subarray(0, 6))).toEqual([255, 255, 255, 255, 255, 255])
    expect(Array.from(flat.rgb.subarray(6, 12))).toEqual([0, 0, 255, 0, 0, 255])

    const reference = await decodePhoto(PHOTO)
    const variants: [string, (s: Sharp) => Sharp, number][] = [
      ['cmyk.jpg', (s) => s.toColourspace('cmyk').jpeg({ quality: 95 }), 12],
      ['rgb16.png', (s) => s.toColourspace('rgb16').png(), 1],
    ]
    for (const [name, encode, tolerance] of variants) {
      const file = path.join(dir, name)
      await encode(sharp(PHOTO)).toFile(file)
      const photo = await decodePhoto(file)
      expect(photo.rgb.length).toBe(640 * 426 * 3)
      expect(meanAbsDiff(photo.rgb, reference.rgb)).toBeLessThan(tolerance)
    }
    const greyFile = path.join(dir, 'grey.png')
    await sharp(PHOTO).greyscale().png().toFile(greyFile)
    const grey = await decodePhoto(greyFile)
    expect(grey.rgb.length).toBe(640 * 426 * 3)
    for (let i = 0; i < grey.rgb.length; i += 3 * 997) expect(grey.rgb[i]).toBe(grey.rgb[i + 2])
  })
})

describe('decodePhoto on bad inputs', () => {
  it('reports a zero-byte file as empty', async () => {
    const file = path.join(dir, 'empty.jpg')
    await writeFile(file, '')
    const e = await decodeError(file)
    expect(e.reason).toBe('empty')
    expect(e.message).toMatch(/empty \(0 bytes\)/)
  })

  it('reports a text file named .jpg as not an image', async () => {
    const file = path.join(dir, 'notes.jpg')
    await writeFile(file, 'shopping list: milk, eggs, a new lens\n')
    const e = await decodeError(file)
    expect(e.reason).toBe('not-an-image')
    expect(e.message).toMatch(/not an image, despite \.jpg/)
  })

  it('reports a JPEG cut in half as truncated', async () => {
    const bytes = await readFile(PHOTO)
    const file = path.join(dir, 'half.jpg')
    await writeFile(file, bytes.subarray(0, bytes.length >> 1))
    const e = await decodeError(file)
    expect(e.reason).toBe('truncated')
    expect(e.message).toMatch(/JPEG data is cut short/)
  })

  it('reports cut-short PNG, WebP, GIF and TIFF files as truncated', async () => {
    const encoders: [string, (s: Sharp) => Sharp][] = [
      ['png', (s) => s.png()], ['webp', (s) => s.webp()], ['gif', (s) => s.gif()], ['tiff', (s) => s.tiff({ compression: 'lzw' })],
    ]
    for (const [format, encode] of encoders) {
      const bytes = await encode(sharp(PHOTO)).toBuffer()
      const file = path.join(dir, `cut.${format}`)
      await writeFile(file, bytes.subarray(0, Math.floor(bytes.length * 0.6)))
      const e = await decodeError(file)
      expect([format, e.reason]).toEqual([format, 'truncated'])
    }
  })

  it('refuses a 30000 x 30000 decompression bomb fast, without allocating its pixels', async () => {
    const file = path.join(dir, 'bomb.png')
    const png = bombPng(30000)
    expect(png.length).toBeLessThan(1_000_000)
    await writeFile(file, png)
    const rssBefore = process.memoryUsage().rss
    const started = performance.now()
    const e = await decodeError(file)
    const elapsed = performance.now() - started
    expect(e.reason).toBe('too-large')
    expect(e.message).toMatch(/30000 x 30000 pixels \(900 MP\), more than the 100 MP limit/)
    expect(elapsed).toBeLessThan(1000)
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024)
  })

  it('honours a smaller maxPixels', async () => {
    expect((await decodeError(PHOTO, { maxPixels: 100_000 })).reason).toBe('too-large')
  })

  it('reports a file without read permission as unreadable (skipped as root: root reads mode 000 files)', async (ctx) => {
    const file = path.join(dir, 'locked.jpg')
    await writeFile(file, await readFile(PHOTO))
    await chmod(file, 0o000)
    if (process.getuid?.() === 0) {
      ctx.skip('running as root: chmod 000 does not stop root from reading, so EACCES cannot be provoked')
    }
    const e = await decodeError(file)
    expect(e.reason).toBe('unreadable')
    expect(e.message).toMatch(/permission denied/)
  })

  it('reports a missing file and a folder as unreadable', async () => {
    const missing = await decodeError(path.join(dir, 'gone.jpg'))
    expect([missing.reason, /does not exist/.test(missing.message)]).toEqual(['unreadable', true])
    const folder = path.join(dir, 'album.jpg')
    await mkdir(folder)
    const e = await decodeError(folder)
    expect([e.reason, /folder/.test(e.message)]).toEqual(['unreadable', true])
  })

  it('reports HEIC and SVG as unsupported, saying what to do', async () => {
    const heic = Buffer.alloc(64)
    heic.writeUInt32BE(24, 0)
    heic.write('ftypheic\0\0\0\0mif1heic', 4, 'latin1')
    const file = path.join(dir, 'IMG_0001.HEIC')
    await writeFile(file, heic)
    const e = await decodeError(file)
    expect(e.reason).toBe('unsupported')
    expect(e.message).toMatch(/it is HEIC, which is not a supported format.*convert it to JPEG/)
    const svg = path.join(dir, 'logo.svg')
    await writeFile(svg, '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')
    expect((await decodeError(svg)).reason).toBe('unsupported')
  })

  it('sniffs formats from bytes, not names', () => {
    expect(sniffFormat(Buffer.from('....ftypavif\0\0\0\0mif1', 'latin1'))).toEqual({ kind: 'supported', format: 'avif' })
    expect(sniffFormat(Buffer.from('....ftypmif1\0\0\0\0mif1heic', 'latin1'))).toEqual({ kind: 'unsupported', format: 'HEIC' })
    expect(sniffFormat(Buffer.from('BM6\0\0\0', 'latin1'))).toEqual({ kind: 'unsupported', format: 'BMP' })
    expect(sniffFormat(Buffer.from('hello'))).toEqual({ kind: 'unknown' })
  })
})
