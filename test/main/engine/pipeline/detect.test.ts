import { afterAll, describe, expect, it } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { Box } from '../../../../src/shared/domain.js'
import { OnnxGraphBuilder, attr, f32, i64 } from '../../../../src/main/engine/onnx/graph-builder.js'
import { defaultPackDir } from '../../../../src/main/engine/models/pack.js'
import { decodePhoto } from '../../../../src/main/engine/pipeline/decode.js'
import { CenterNetDetector } from '../../../../src/main/engine/pipeline/detect.js'
import { iou } from '../../../../src/main/engine/pipeline/nms.js'
import { OrtRunner } from '../../../support/ort-runner.js'

const DATA = '/work/shared/data/coco-dev'
const PHOTO = path.join(DATA, 'images', '000000000139.jpg') // 640 x 426
const REAL_MODEL = path.join(defaultPackDir(), 'centernet-mobilenetv3.onnx') // resources/models, or $CONSTELLA_MODELS

/** Rows of `detections` in 512-px letterbox space: x1, y1, x2, y2, score, class. */
const ROWS = [
  [100, 185, 300, 385, 0.9, 0], // person -> photo x (100, 300) / 0.8, y (185, 385) - 85 over 341/426
  [104, 187, 304, 389, 0.85, 0], // duplicate person -> suppressed by NMS
  [100, 185, 300, 385, 0.6, 56], // chair on the same spot -> kept
  [400, 300, 500, 400, 0.2, 2], // car below the 0.25 threshold -> dropped
  [480, 60, 540, 120, 0.5, 62], // tv reaching into the top padding and past the right edge -> clamped
  [10, 10, 50, 50, 0.99, Number.NaN], // NaN class -> skipped
  [0, 430, 100, 500, 0.95, 3], // entirely in the bottom padding -> empty once clamped, dropped
  [0, 100, 10, 110, 0.7, 80], // class id outside COCO -> dropped
]

/** A graph with CenterNet's IO names: constant detections, plus feature maps computed from the input. */
function centerNetGraph(): Uint8Array {
  const g = new OnnxGraphBuilder('centernet-io-test')
  const images = g.input('images', 'FLOAT', [1, 512, 512, 3])
  const nchw = g.op('Transpose', [images], { perm: attr.ints([0, 3, 1, 2]) })
  g.op('AveragePool', [nchw], { kernel_shape: attr.ints([32, 32]), strides: attr.ints([32, 32]) }, 'features_s32')
  g.op('AveragePool', [nchw], { kernel_shape: attr.ints([4, 4]), strides: attr.ints([4, 4]) }, 'features_fpn')
  const rows = Array.from({ length: 100 }, (_, i) => ROWS[i] ?? [0, 0, 0, 0, 0, 0]).flat()
  const zero = g.op('Mul', [g.op('ReduceMean', [images], { keepdims: attr.int(0) }), g.initializer('zero', f32([0], []))])
  g.op('Add', [g.initializer('rows', f32(rows, [1, 100, 6])), g.op('Reshape', [zero, g.initializer('s', i64([1, 1, 1]))])], {}, 'detections')
  g.output('detections', 'FLOAT', [1, 100, 6])
  g.output('features_s32', 'FLOAT', [1, 3, 16, 16])
  g.output('features_fpn', 'FLOAT', [1, 3, 128, 128])
  return g.encode()
}

function expectBox(actual: Box, expected: Box): void {
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 9))
}

const runner = new OrtRunner({ 'centernet-mobilenetv3': centerNetGraph() })
afterAll(() => runner.dispose())

describe('CenterNetDetector on a graph with the model\'s IO names', () => {
  it('maps known 512-px detections to original pixels of a non-square photo', async () => {
    const photo = await decodePhoto(PHOTO)
    const { detections, inputTransform, features } = await new CenterNetDetector(runner).detect(photo)
    // 426 rows * 0.8 = 340.8 -> 341 rows: the vertical scale is 341/426; 85 rows of padding on top.
    const sy = 341 / 426
    expect(inputTransform).toEqual({ scale: 0.8, scaleY: sy, padX: 0, padY: 85 })
    expect(features).toBeUndefined()
    expect(runner.calls.at(-1)!.fetches).toEqual(['detections'])
    expect(detections.map((d) => [d.className, d.classId])).toEqual([['person', 0], ['chair', 56], ['tv', 62]])
    expect(detections.map((d) => d.score)).toEqual([0.9, 0.6, 0.5].map(Math.fround))
    expectBox(detections[0].box, [125, 100 / sy, 375, 300 / sy]) // [125, 124.93, 375, 374.78]
    expectBox(detections[1].box, [125, 100 / sy, 375, 300 / sy])
    expectBox(detections[2].box, [600, 0, 640, 35 / sy]) // x2 540/0.8 = 675 -> 640; y1 (60-85) < 0 -> 0
  })

  it('fetches feature maps from the same run; they see the photo letterboxed with zero padding', async () => {
    const photo = await decodePhoto(PHOTO)
    const { features } = await new CenterNetDetector(runner).detect(photo, { fetchFeatures: ['features_s32', 'features_fpn'] })
    expect(runner.calls.at(-1)!.fetches).toEqual(['detections', 'features_s32', 'features_fpn'])
    const s32 = features!.features_s32
    expect([s32.dims, features!.features_fpn.dims]).toEqual([[1, 3, 16, 16], [1, 3, 128, 128]])
    const cell = (c: number, r: number, x: number): number => (s32.data as Float32Array)[c * 256 + r * 16 + x]
    // Photo rows land on input rows 85..425: cell rows 0-1 and 14-15 are all padding.
    for (const r of [0, 1, 14, 15]) for (let x = 0; x < 16; x++) expect(cell(0, r, x) + cell(1, r, x) + cell(2, r, x)).toBe(0)
    for (let r = 3; r <= 12; r++) for (let x = 0; x < 16; x++) expect(cell(0, r, x) + cell(1, r, x) + cell(2, r, x)).toBeGreaterThan(0)
    // Cell (row 6, col 5) = input x 160..192, y 192..224 = photo x 200..240, y 133.7..173.6.
    for (let c = 0; c < 3; c++) {
      let sum = 0
      for (let y = 134; y < 174; y++) for (let x = 200; x < 240; x++) sum += photo.rgb[(y * 640 + x) * 3 + c]
      expect(Math.abs(cell(c, 6, 5) - sum / 1600)).toBeLessThan(3)
    }
  })

  it('can stretch instead of letterboxing, and maps boxes back with both scales', async () => {
    const photo = await decodePhoto(PHOTO)
    const { detections, inputTransform } = await new CenterNetDetector(runner, 'centernet-mobilenetv3', { letterbox: false }).detect(photo)
    expect(inputTransform).toEqual({ scale: 0.8, scaleY: 512 / 426, padX: 0, padY: 0 })
    // The row that lay in the letterbox padding is now inside the photo (motorcycle, 0.95).
    expect(detections.map((d) => d.className)).toEqual(['motorcycle', 'person', 'chair', 'tv'])
    expectBox(detections[0].box, [0, 430 * 426 / 512, 100 / 0.8, 500 * 426 / 512])
    expectBox(detections[1].box, [125, 185 * 426 / 512, 375, 385 * 426 / 512])
  })

  it('stops before running when aborted', async () => {
    const photo = await decodePhoto(PHOTO)
    const calls = runner.calls.length
    await expect(new CenterNetDetector(runner).detect(photo, { signal: AbortSignal.abort() })).rejects.toThrow(/abort/i)
    expect(runner.calls.length).toBe(calls)
  })
})

describe.skipIf(!existsSync(REAL_MODEL))('CenterNetDetector on the real converted model', () => {
  const labels = JSON.parse(readFileSync(path.join(DATA, 'labels.json'), 'utf8')) as {
    images: { file: string; labels: number[]; boxes: [number, number, number, number, number][] }[]
  }

  it('finds a ground-truth object of each photo as its top detection', async () => {
    const real = new OrtRunner({ 'centernet-mobilenetv3': readFileSync(REAL_MODEL) })
    const detector = new CenterNetDetector(real)
    // val2017 photos (the detector was trained on train2017): zebra 640x480, bus 640x480,
    // refrigerator 424x640 (portrait: letterbox padding left and right).
    for (const file of ['000000104455.jpg', '000000359937.jpg', '000000000802.jpg']) {
      const truth = labels.images.find((i) => i.file === file)!
      const { detections } = await detector.detect(await decodePhoto(path.join(DATA, 'images', file)))
      expect(detections.length, file).toBeGreaterThan(0)
      const top = detections[0]
      expect(truth.labels, `${file}: top detection ${top.className} ${top.score.toFixed(2)}`).toContain(top.classId)
      const overlap = Math.max(...truth.boxes.filter((b) => b[0] === top.classId).map((b) => iou(top.box, [b[1], b[2], b[3], b[4]])))
      expect(overlap, `${file}: IoU of the top ${top.className} box with ground truth`).toBeGreaterThan(0.5)
    }
    await real.dispose()
  })
})

if (!existsSync(REAL_MODEL)) {
  console.warn(`skipping the real-model CenterNet test: ${REAL_MODEL} is not built yet (npm run build:models)`)
}
