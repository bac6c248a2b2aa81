import path from 'node:path'
import * as ort from 'onnxruntime-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConvertedModel } from '../../../../../../src/main/engine/models/manifest.js'
import { CENTERNET_TF_NAMES, convertCenterNet } from '../../../../../../src/main/engine/models/convert/tfjs-graph/centernet.js'
import { installedPackageDir } from '../../../../../../src/main/engine/models/convert/tfjs-graph/package-dir.js'
import { type CocoDevImage, cocoDevClasses, cocoDevImages, letterboxFile } from '../../../../../support/coco-images.js'
import { type NodeValue, executeNodes, loadGraphModelFromFiles, tf } from '../../../../../support/tfjs-wasm.js'
import { maxAbsDiff } from './tiny-graph.js'

const humanDir = installedPackageDir('@vladmandic/human')
const FEATURES = ['features_s32', 'features_fpn'] as const

/** NHWC -> NCHW of a TF value, to compare with the NCHW feature outputs. */
function toNchw({ data, shape: [n, h, w, c] }: NodeValue): Float32Array {
  const out = new Float32Array(data.length)
  for (let b = 0; b < n; b++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) {
    out[((b * c + k) * h + y) * w + x] = data[((b * h + y) * w + x) * c + k]
  }
  return out
}

function iou(a: number[], b: number[]): number {
  const iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]))
  const ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]))
  const inter = iw * ih
  return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)
}

describe('CenterNet (MobileNetV3) TF.js graph -> ONNX', () => {
  let converted: ConvertedModel
  let session: ort.InferenceSession
  let reference: tf.GraphModel
  let conversionMs = 0
  const images: CocoDevImage[] = cocoDevImages('val2017').slice(0, 3)
  const worst = { heatmap: 0, scores: 0, boxPx: 0, wh: 0, features_s32: 0, features_fpn: 0 }

  beforeAll(async () => {
    const started = performance.now()
    converted = await convertCenterNet(humanDir)
    conversionMs = performance.now() - started
    session = await ort.InferenceSession.create(converted.bytes, { intraOpNumThreads: 2 })
    reference = await loadGraphModelFromFiles(path.join(humanDir, 'models', 'centernet.json'))
  })

  afterAll(async () => {
    console.log(`centernet conversion ${conversionMs.toFixed(0)} ms, ${(converted.bytes.length / 1e6).toFixed(1)} MB; worst diffs vs TF.js on ${images.length} photos:`, worst)
    await session?.release()
    reference?.dispose()
  })

  it('describes the model contract: names, shapes, classes, preprocessing', () => {
    const { entry } = converted
    expect(entry).toMatchObject({ name: 'centernet-mobilenetv3', role: 'detector', file: 'centernet-mobilenetv3.onnx', source: '@vladmandic/human@3.3.6' })
    expect(entry.description).toMatch(/MobileNetV3-CenterNet/)
    expect(entry.inputs.map((t) => [t.name, t.shape])).toEqual([['images', [1, 512, 512, 3]]])
    expect(entry.outputs.map((t) => [t.name, t.shape])).toEqual([
      ['detections', [1, 100, 6]], ['heatmap', [1, 128, 128, 80]], ['wh', [1, 128, 128, 4]],
      ['features_s32', [1, 120, 16, 16]], ['features_fpn', [1, 128, 128, 128]],
    ])
    expect(entry.preprocessing).toEqual({ size: 512, layout: 'NHWC', colour: 'RGB', scale: '0..255', letterbox: true, pad: 0 })
    expect(entry.extra?.classes).toEqual(cocoDevClasses())
    expect(entry.extra?.tfNames).toEqual(CENTERNET_TF_NAMES)
    expect(entry.extra?.strides).toEqual({ heatmap: 4, wh: 4, features_s32: 32, features_fpn: 4 })
    expect(session.inputNames).toEqual(['images'])
    expect([...session.outputNames].sort()).toEqual(['detections', 'features_fpn', 'features_s32', 'heatmap', 'wh'])
  })

  it('matches TF.js (wasm) on real photos: heatmap, scores, boxes and feature maps', async () => {
    for (const image of images) {
      const input = await letterboxFile(image.file)
      const ours = await session.run({ images: new ort.Tensor('float32', input.tensor, input.dims) })
      const tfNames = [CENTERNET_TF_NAMES.detections, CENTERNET_TF_NAMES.heatmap, CENTERNET_TF_NAMES.wh, CENTERNET_TF_NAMES.features_s32, CENTERNET_TF_NAMES.features_fpn]
      const ref = executeNodes(reference, input.tensor, input.dims, tfNames)
      const heat = maxAbsDiff(ours.heatmap.data as Float32Array, ref[CENTERNET_TF_NAMES.heatmap].data)
      const wh = maxAbsDiff(ours.wh.data as Float32Array, ref[CENTERNET_TF_NAMES.wh].data)
      expect(heat, image.file).toBeLessThanOrEqual(1e-3)
      worst.heatmap = Math.max(worst.heatmap, heat)
      worst.wh = Math.max(worst.wh, wh)

      const a = ours.detections.data as Float32Array
      const b = ref[CENTERNET_TF_NAMES.detections].data
      expect(a.length).toBe(600)
      for (let r = 0; r < 100; r++) {
        const scoreDiff = Math.abs(a[r * 6 + 4] - b[r * 6 + 4])
        expect(scoreDiff, `${image.file} row ${r} score`).toBeLessThanOrEqual(1e-3)
        worst.scores = Math.max(worst.scores, scoreDiff)
        if (b[r * 6 + 4] < 0.1) continue
        expect(a[r * 6 + 5], `${image.file} row ${r} class`).toBe(b[r * 6 + 5])
        const boxDiff = maxAbsDiff(a.subarray(r * 6, r * 6 + 4), b.subarray(r * 6, r * 6 + 4))
        expect(boxDiff, `${image.file} row ${r} box`).toBeLessThanOrEqual(1)
        worst.boxPx = Math.max(worst.boxPx, boxDiff)
      }
      for (const name of FEATURES) {
        const d = maxAbsDiff(ours[name].data as Float32Array, toNchw(ref[CENTERNET_TF_NAMES[name]]))
        expect(d, `${image.file} ${name}`).toBeLessThanOrEqual(1e-3)
        worst[name] = Math.max(worst[name], d)
      }
    }
  })

  it('finds the annotated objects: each confident detection box overlaps a ground-truth box of its class', async () => {
    let matched = 0
    let confident = 0
    for (const image of images) {
      const input = await letterboxFile(image.file)
      const det = (await session.run({ images: new ort.Tensor('float32', input.tensor, input.dims) })).detections.data as Float32Array
      for (let r = 0; r < 100 && det[r * 6 + 4] >= 0.4; r++) {
        confident++
        const box = [0, 1, 2, 3].map((k) => (det[r * 6 + k] - (k % 2 ? input.padY : input.padX)) / input.scale)
        const cls = det[r * 6 + 5]
        if (image.boxes.some(([c, ...gt]) => c === cls && iou(box, gt) >= 0.5)) matched++
      }
    }
    console.log(`confident detections (score >= 0.4) matching a ground-truth box of their class (IoU >= 0.5): ${matched}/${confident}`)
    expect(confident).toBeGreaterThanOrEqual(3)
    expect(matched / confident).toBeGreaterThanOrEqual(0.75)
  })
})
