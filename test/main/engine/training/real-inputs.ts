/**
 * Head inputs of real coco-dev photos for the training tests: the real detector (onnxruntime,
 * in-process) and the pack's head, exactly as indexing analyses a photo, with the photos' labels.
 */
import path from 'node:path'
import { analyzePhoto } from '../../../../src/main/engine/analysis/analyze-photo.js'
import { decodeHead, type HeadParams } from '../../../../src/main/engine/head/head-params.js'
import { defaultPackDir, findModel, readManifest, readVerifiedModel } from '../../../../src/main/engine/models/pack.js'
import { decodePhoto } from '../../../../src/main/engine/pipeline/decode.js'
import { CenterNetDetector } from '../../../../src/main/engine/pipeline/detect.js'
import type { CachedPhoto } from '../../../../src/main/engine/training/input-cache.js'
import { COCO_DEV_DIR, cocoDevImages } from '../../../support/coco-images.js'
import { OrtRunner } from '../../../support/ort-runner.js'

/** The pack's head and the cached-photo form of the first `count` coco-dev photos (every `step`-th). */
export async function realInputs(count: number, step = 7): Promise<{ head: HeadParams; photos: CachedPhoto[]; runner: OrtRunner }> {
  const packDir = defaultPackDir()
  const manifest = readManifest(packDir)
  const head = decodeHead(readVerifiedModel(packDir, findModel(manifest, 'sarl-gat-head')))
  const det = findModel(manifest, 'centernet-mobilenetv3')
  const runner = new OrtRunner({ [det.name]: readVerifiedModel(packDir, det) })
  const detector = new CenterNetDetector(runner, det.name, { scoreThreshold: 0.05 })
  const photos: CachedPhoto[] = []
  const images = cocoDevImages().filter((_, i) => i % step === 0).slice(0, count)
  for (const img of images) {
    const file = path.join(COCO_DEV_DIR, 'images', img.file)
    const result = await analyzePhoto({ detector, head }, await decodePhoto(file))
    photos.push({ file, labels: img.labels, split: img.split, input: result.graphInput })
  }
  return { head, photos, runner }
}
