import path from 'node:path'
import os from 'node:os'
import { mkdtempSync } from 'node:fs'
import { Library } from '../../src/main/engine/library/library.js'
import { decodePhoto } from '../../src/main/engine/pipeline/decode.js'
import { ensureThumbnail } from '../../src/main/engine/io/thumbnail.js'
import { analyzePhoto } from '../../src/main/engine/pipeline/analyze-photo.js'
import { hashFile } from '../../src/main/engine/io/content-hash.js'
import { COCO_DEV_DIR, cocoDevImages } from '../../test/support/coco-images.js'
const files = cocoDevImages().slice(0, 30).map((i) => path.join(COCO_DEV_DIR, 'images', i.file))
const lib = await Library.open({ dir: mkdtempSync(path.join(os.tmpdir(), 'probe-')) })
const t: Record<string, number> = {}
const add = (k: string, ms: number) => { t[k] = (t[k] ?? 0) + ms }
for (const f of files.slice(0, 3)) await analyzePhoto(lib.parts, await decodePhoto(f))
for (const f of files) {
  let a = performance.now()
  const h = await hashFile(f); add('hash', performance.now() - a); a = performance.now()
  const d = await decodePhoto(f); add('decode', performance.now() - a); a = performance.now()
  await ensureThumbnail(lib.paths.thumbsDir, h, d.rgb, d.width, d.height); add('thumb', performance.now() - a); a = performance.now()
  await lib.parts.detector.detect(d); add('detect-only', performance.now() - a); a = performance.now()
  await lib.parts.detector.detect(d, { fetchFeatures: ['features_s32'] }); add('detect+feat', performance.now() - a); a = performance.now()
  await analyzePhoto(lib.parts, d); add('analyze', performance.now() - a); a = performance.now()
}
for (const [k, v] of Object.entries(t)) console.log(k, (v / files.length).toFixed(1), 'ms/photo')
await lib.close()
