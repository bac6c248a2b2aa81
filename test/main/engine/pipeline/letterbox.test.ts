import { describe, expect, it } from 'vitest'
import sharp from 'sharp'
import type { Box } from '../../../../src/shared/domain.js'
import { decodePhoto } from '../../../../src/main/engine/pipeline/decode.js'
import { letterbox, letterboxBox, resizeTo, unletterboxBox } from '../../../../src/main/engine/pipeline/letterbox.js'

const PHOTO = '/work/shared/data/coco-dev/images/000000000139.jpg' // 640 x 426

/** An RGB image whose channels are linear: R = x, G = y, B = 255 - x (sides below 256). */
function gradient(w: number, h: number): Uint8Array {
  const rgb = new Uint8Array(w * h * 3)
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) rgb.set([x, y, 255 - x], (y * w + x) * 3)
  }
  return rgb
}

describe('letterbox', () => {
  it('keeps the aspect ratio, centres the photo and pads with zeros (CenterNet, NHWC 0..255)', async () => {
    const photo = await decodePhoto(PHOTO)
    const { tensor, dims, transform } = await letterbox(photo.rgb, photo.width, photo.height, 512)
    expect(dims).toEqual([1, 512, 512, 3])
    // scale = 512/640 = 0.8; 426 * 0.8 = 340.8 -> 341 rows (so the vertical scale is 341/426);
    // (512 - 341) / 2 = 85.5 -> 85 rows on top.
    expect(transform).toEqual({ scale: 0.8, scaleY: 341 / 426, padX: 0, padY: 85 })
    const row = (y: number): Float32Array => tensor.subarray(y * 512 * 3, (y + 1) * 512 * 3)
    for (const y of [0, 84, 426, 511]) expect(Math.max(...row(y))).toBe(0)
    for (const y of [85, 250, 425]) expect(Math.max(...row(y))).toBeGreaterThan(0)
    // The image rectangle matches libvips' own bilinear resize of the same photo to 512 x 341.
    const ref = await sharp(photo.rgb, { raw: { width: 640, height: 426, channels: 3 } }).resize(512, 341, { fit: 'fill', kernel: 'linear' }).raw().toBuffer()
    let diff = 0
    for (let i = 0; i < ref.length; i++) diff += Math.abs(tensor[85 * 512 * 3 + i] - ref[i])
    expect(diff / ref.length).toBeLessThan(2)
  })

  it('writes Ultralytics inputs: NCHW, 0..1, grey 114 padding, same pixels as NHWC', async () => {
    const photo = await decodePhoto(PHOTO)
    const nhwc = await letterbox(photo.rgb, photo.width, photo.height, 320)
    const nchw = await letterbox(photo.rgb, photo.width, photo.height, 320, { pad: 114, layout: 'NCHW', scale: 1 })
    expect(nchw.dims).toEqual([1, 3, 320, 320])
    expect(nchw.transform).toEqual({ scale: 0.5, padX: 0, padY: 53 })
    const plane = 320 * 320
    for (const [x, y] of [[0, 0], [319, 52], [160, 266], [5, 319]]) {
      for (let c = 0; c < 3; c++) expect(nchw.tensor[c * plane + y * 320 + x]).toBeCloseTo(114 / 255, 6)
    }
    for (const [x, y] of [[0, 53], [160, 160], [319, 265]]) {
      for (let c = 0; c < 3; c++) expect(nchw.tensor[c * plane + y * 320 + x]).toBeCloseTo(nhwc.tensor[(y * 320 + x) * 3 + c] / 255, 5)
    }
  })

  it('samples pixel centres: a linear image stays linear to within a pixel (enlarging and shrinking)', async () => {
    for (const [w, h, size] of [[40, 30, 64], [200, 100, 64], [90, 250, 48], [250, 90, 48]]) {
      const { tensor, transform } = await letterbox(gradient(w, h), w, h, size)
      const { scale, padX, padY } = transform
      const scaleY = transform.scaleY ?? scale
      const nw = Math.round(w * scale)
      const nh = Math.round(h * scaleY)
      let worst = 0
      let total = 0
      let count = 0
      // Interior pixels (away from the clamped border) equal the linear image at the sample point.
      for (let y = padY + 2; y < padY + nh - 2; y += 3) {
        for (let x = padX + 2; x < padX + nw - 2; x += 3) {
          const sx = (x + 0.5 - padX) / scale - 0.5
          const sy = (y + 0.5 - padY) / scaleY - 0.5
          const o = (y * size + x) * 3
          const errors = [Math.abs(tensor[o] - sx), Math.abs(tensor[o + 1] - sy), Math.abs(tensor[o + 2] - (255 - sx))]
          worst = Math.max(worst, ...errors)
          total += errors[0] + errors[1] + errors[2]
          count += 3
        }
      }
      // One grey level per source pixel, so errors read as source pixels. 8-bit rounding alone gives a
      // mean of 0.25; libvips' shrink-then-reduce adds a little when shrinking 5x. Corner-aligned
      // sampling would be off by half a pixel of the scale change: 1.06 at 0.32x, 2.1 at 0.19x.
      expect(total / count, `${w}x${h} -> ${size} mean`).toBeLessThan(0.6)
      expect(worst, `${w}x${h} -> ${size} worst`).toBeLessThanOrEqual(1)
    }
  })

  it('does not alias when shrinking a lot (a 1-pixel checkerboard becomes flat grey)', async () => {
    // Plain 4-tap bilinear sampling of this checkerboard at scale 0.128 swings by up to +-112 grey levels.
    // An antialiased resize stays within a few levels of 127.5 (8-bit output).
    const w = 2000
    const h = 1000
    const rgb = new Uint8Array(w * h * 3)
    for (let y = 0; y < h; y++) {
      for (let x = (y % 2) ^ 1; x < w; x += 2) rgb.fill(255, (y * w + x) * 3, (y * w + x) * 3 + 3)
    }
    const { tensor, transform } = await letterbox(rgb, w, h, 256)
    expect(transform).toEqual({ scale: 0.128, padX: 0, padY: 64 })
    let worst = 0
    for (let i = 64 * 256 * 3; i < 192 * 256 * 3; i++) worst = Math.max(worst, Math.abs(tensor[i] - 127.5))
    expect(worst).toBeLessThan(5)
  })

  it('puts a marked square where letterboxBox says', async () => {
    const w = 300
    const h = 200
    const rgb = new Uint8Array(w * h * 3)
    const square: Box = [180, 40, 240, 100]
    for (let y = square[1]; y < square[3]; y++) for (let x = square[0]; x < square[2]; x++) rgb[(y * w + x) * 3] = 255
    const { tensor, transform } = await letterbox(rgb, w, h, 150)
    let sx = 0
    let sy = 0
    let mass = 0
    for (let y = 0; y < 150; y++) {
      for (let x = 0; x < 150; x++) {
        const v = tensor[(y * 150 + x) * 3]
        sx += v * (x + 0.5)
        sy += v * (y + 0.5)
        mass += v
      }
    }
    const mapped = letterboxBox(square, transform)
    expect(sx / mass).toBeCloseTo((mapped[0] + mapped[2]) / 2, 1)
    expect(sy / mass).toBeCloseTo((mapped[1] + mapped[3]) / 2, 1)
  })
})

describe('box mapping', () => {
  it('round-trips boxes between photo and model input pixels', async () => {
    const photo = await decodePhoto(PHOTO)
    for (const size of [512, 640, 299]) {
      for (const layout of ['NHWC', 'NCHW'] as const) {
        const { transform } = await letterbox(photo.rgb, photo.width, photo.height, size, { layout })
        for (const box of [[0, 0, 640, 426], [12.5, 33.25, 400.75, 300], [639, 425, 640, 426]] as Box[]) {
          const back = unletterboxBox(letterboxBox(box, transform), transform, 640, 426)
          back.forEach((v, i) => expect(v).toBeCloseTo(box[i], 9))
        }
      }
    }
  })

  it('clamps boxes that reach into the padding to the photo', () => {
    const t = { scale: 0.8, padX: 0, padY: 85 }
    expect(unletterboxBox([-20, 0, 600, 520], t, 640, 426)).toEqual([0, 0, 640, 426])
    expect(unletterboxBox([100, 185, 300, 385], t, 640, 426)).toEqual([125, 125, 375, 375])
  })

  it('resizeTo stretches to a square and records both scales', async () => {
    const photo = await decodePhoto(PHOTO)
    const { tensor, dims, transform } = await resizeTo(photo.rgb, photo.width, photo.height, 299, { scale: 1 })
    expect(dims).toEqual([1, 299, 299, 3])
    expect(transform).toEqual({ scale: 299 / 640, scaleY: 299 / 426, padX: 0, padY: 0 })
    expect(tensor.every((v) => v >= 0 && v <= 1)).toBe(true)
    expect(unletterboxBox([0, 0, 299, 299], transform, 640, 426)).toEqual([0, 0, 640, 426])
    let mean = 0
    for (const v of tensor) mean += v
    let photoMean = 0
    for (const v of photo.rgb) photoMean += v / 255
    expect(mean / tensor.length).toBeCloseTo(photoMean / photo.rgb.length, 2)
  })

  it('rejects pixel buffers that do not match their size', async () => {
    await expect(letterbox(new Uint8Array(10), 4, 4, 8)).rejects.toThrow(/expected 4 x 4 x 3 = 48 RGB bytes, got 10/)
  })
})
