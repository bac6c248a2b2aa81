/**
 * Large photos are decoded as a working copy (long side 1024) and everything the library records
 * is in the photo's own pixels: a real coco-dev photo upscaled to 4000 px (and a rotated one, EXIF
 * orientation 6) gives the same detections as the 640-px original, scaled; the same embedding;
 * stored sizes and boxes in the large photo's pixels; and search by a box drawn in those pixels.
 */
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { indexLibrary } from '../../../../src/main/engine/library/indexer.js'
import { Library } from '../../../../src/main/engine/library/library.js'
import { analyzePhoto, featurePass } from '../../../../src/main/engine/analysis/analyze-photo.js'
import { objectFeatures } from '../../../../src/main/engine/pipeline/features.js'
import type { Box } from '../../../../src/shared/domain.js'
import { decodePhoto, DEFAULT_WORKING_SIDE } from '../../../../src/main/engine/pipeline/decode.js'
import { iou } from '../../../../src/main/engine/pipeline/nms.js'
import { search } from '../../../../src/main/engine/search/search-service.js'
import { cosine } from '../../../../src/shared/math/vector.js'
import { cocoFiles, tempFolder } from './helpers.js'

const temp = tempFolder()
const photosDir = path.join(temp.dir, 'photos')
const [source] = cocoFiles(1, 0) // 000000000139.jpg: 640x426, 13 objects
let lib: Library
let big: string
let rotated: string
let factor: number

beforeAll(async () => {
  mkdirSync(photosDir, { recursive: true })
  const meta = await sharp(source).metadata()
  factor = 4000 / meta.width!
  big = path.join(photosDir, 'big.jpg')
  rotated = path.join(photosDir, 'big-rotated.jpg')
  await sharp(source).resize(4000).jpeg({ quality: 92 }).toFile(big)
  // stored sideways, shown upright by EXIF orientation 6 (rotate 90 degrees clockwise)
  await sharp(source).resize(4000).rotate(-90).withMetadata({ orientation: 6 }).jpeg({ quality: 92 }).toFile(rotated)
  lib = await Library.open({ dir: path.join(temp.dir, 'library') })
}, 60_000)

afterAll(async () => {
  await lib?.close()
  temp.cleanup()
})

describe('large photos', () => {
  it('decodes a working copy and reports the photo size', async () => {
    const photo = await decodePhoto(big)
    expect(Math.max(photo.width, photo.height)).toBe(DEFAULT_WORKING_SIDE)
    expect(photo.original).toEqual({ width: 4000, height: Math.round(426 * factor) })
    expect(photo.rgb.length).toBe(photo.width * photo.height * 3)
    const full = await decodePhoto(big, { workingSide: 0 })
    expect([full.width, full.height, full.original]).toEqual([4000, photo.original!.height, undefined])
    const upright = await decodePhoto(rotated)
    expect(upright.original).toEqual(photo.original)
  })

  it('finds the same objects as in the original photo, in the large photo\'s pixels', async () => {
    const small = await analyzePhoto(lib.parts, await decodePhoto(source))
    const large = await analyzePhoto(lib.parts, await decodePhoto(big))
    const scaled = small.detections.map((d) => ({ ...d, box: d.box.map((v) => v * factor) as typeof d.box }))
    const strong = scaled.filter((d) => d.score >= 0.4)
    expect(strong.length).toBeGreaterThanOrEqual(3)
    for (const d of strong) {
      const match = large.detections.filter((l) => l.classId === d.classId).map((l) => iou(l.box, d.box))
      expect(Math.max(...match)).toBeGreaterThan(0.8)
    }
    expect(cosine(small.graph.embedding, large.graph.embedding)).toBeGreaterThan(0.98)
    // RoIAlign of a box given in the large photo's pixels lands on the same place of the map
    const tv = small.detections.find((d) => d.classId === 62)!
    const at = async (file: string, box: Box) => {
      const photo = await decodePhoto(file)
      const { map, geometry } = await featurePass(lib.parts, photo)
      return objectFeatures(map, [box], geometry).objects[0]
    }
    const tvBig = tv.box.map((v) => v * factor) as Box
    expect(cosine(await at(source, tv.box), await at(big, tvBig))).toBeGreaterThan(0.97)
    const elsewhere: Box = [0, 0, tvBig[2] - tvBig[0], tvBig[3] - tvBig[1]]
    expect(cosine(await at(source, tv.box), await at(big, elsewhere))).toBeLessThan(0.9)
  })

  it('stores sizes and boxes in the photo\'s own pixels, and searches by a box drawn in them', async () => {
    const s = await indexLibrary(lib, [photosDir])
    expect(s.indexed).toBe(2)
    for (const file of [big, rotated]) {
      const photo = lib.store.photos.findByPath(file)!
      expect([photo.width, photo.height]).toEqual([4000, Math.round(426 * factor)])
      const objects = lib.store.objects.listByPhoto(photo.id)
      expect(objects.length).toBeGreaterThanOrEqual(5)
      for (const o of objects) {
        const [x1, , x2, y2] = o.box
        expect(x1).toBeGreaterThanOrEqual(0)
        expect(x2).toBeLessThanOrEqual(4000)
        expect(y2).toBeLessThanOrEqual(photo.height!)
      }
    }
    // the tv of the original, drawn on the large photo: the stored tv object is the query
    const tv = lib.store.objects.listByPhoto(lib.store.photos.findByPath(big)!.id).find((o) => o.classId === 62)!
    const { query } = await search(lib, { kind: 'boxes', file: big, boxes: [tv.box] }, { k: 1 })
    expect(query.objects[0].classId).toBe(62)
    expect(query.origin).toBe('library')
  })
})
