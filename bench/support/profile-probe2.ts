import path from 'node:path'
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import sharp from 'sharp'
import { decodePhoto } from '../../src/main/engine/pipeline/decode.js'
import { hashFile } from '../../src/main/engine/io/content-hash.js'
import { COCO_DEV_DIR, cocoDevImages } from '../../test/support/coco-images.js'
const files = cocoDevImages().slice(0, 40).map((i) => path.join(COCO_DEV_DIR, 'images', i.file))
const t: Record<string, number> = {}
const add = (k: string, ms: number) => { t[k] = (t[k] ?? 0) + ms }
for (const f of files) {
  let a = performance.now()
  await hashFile(f); add('hash-stream', performance.now() - a); a = performance.now()
  createHash('sha256').update(await readFile(f)).digest('hex'); add('hash-readfile', performance.now() - a); a = performance.now()
  const d = await decodePhoto(f); add('decode', performance.now() - a); a = performance.now()
  for (const [k, opts] of [['webp-q78', { quality: 78 }], ['webp-q78-e2', { quality: 78, effort: 2 }], ['webp-q78-e0', { quality: 78, effort: 0 }]] as const) {
    a = performance.now()
    await sharp(d.rgb, { raw: { width: d.width, height: d.height, channels: 3 } }).resize(320, 320, { fit: 'inside', withoutEnlargement: true }).webp(opts).toBuffer(); add(k, performance.now() - a)
  }
  a = performance.now()
  await sharp(d.rgb, { raw: { width: d.width, height: d.height, channels: 3 } }).resize(320, 320, { fit: 'inside', withoutEnlargement: true }).toBuffer(); add('resize-only', performance.now() - a)
}
for (const [k, v] of Object.entries(t)) console.log(k, (v / files.length).toFixed(1), 'ms/photo')
