import { afterAll, describe, expect, it } from 'vitest'
import { OnnxGraphBuilder, attr, f32, i64 } from '../../../../src/main/engine/onnx/graph-builder.js'
import { decodePhoto } from '../../../../src/main/engine/pipeline/decode.js'
import { decodeYoloV8, YoloV8Detector } from '../../../../src/main/engine/pipeline/yolov8.js'
import { OrtRunner } from '../../../support/ort-runner.js'

const PHOTO = '/work/shared/data/coco-dev/images/000000000139.jpg' // 640 x 426
const S = 320
const CLASSES = ['cat', 'dog', 'bird']

/** Candidates in 320-px input space: cx, cy, w, h, then one score per class. */
const CANDIDATES = [
  [100, 150, 80, 60, 0.9, 0.1, 0.05], // cat -> kept
  [104, 152, 80, 60, 0.8, 0.2, 0.0], // duplicate cat (IoU 0.85 with the first) -> suppressed
  [100, 150, 80, 60, 0.3, 0.7, 0.0], // dog on the same spot -> kept (class-aware NMS)
  [200, 200, 50, 50, 0.1, 0.2, 0.05], // everything below 0.25 -> dropped
  [250, 60, 40, 40, 0.0, 0.0, 0.6], // bird reaching into the top padding -> clamped to y = 0
  [160, 20, 100, 20, 0.95, 0.0, 0.0], // entirely inside the padding -> empty once clamped, dropped
]

/** A YOLOv8-layout graph: consumes `images` [1,3,S,S] and emits the candidates as output0 [1, 4+C, N]. */
function yoloGraph(): Uint8Array {
  const n = CANDIDATES.length
  const rows = 4 + CLASSES.length
  const channelMajor = Array.from({ length: rows * n }, (_, k) => CANDIDATES[k % n][Math.floor(k / n)])
  const g = new OnnxGraphBuilder('yolov8-layout-test')
  const images = g.input('images', 'FLOAT', [1, 3, S, S])
  const mean = g.op('ReduceMean', [images], { keepdims: attr.int(1) })
  const zero = g.op('Reshape', [g.op('Mul', [mean, g.initializer('zero', f32([0], []))]), g.initializer('shape', i64([1, 1, 1]))])
  g.op('Add', [g.initializer('candidates', f32(channelMajor, [1, rows, n])), zero], {}, 'output0')
  g.output('output0', 'FLOAT', [1, rows, n])
  return g.encode()
}

const runner = new OrtRunner({ 'user-yolov8': yoloGraph() })
afterAll(() => runner.dispose())

describe('YoloV8Detector', () => {
  it('decodes, thresholds, suppresses and maps boxes back to original pixels', async () => {
    const photo = await decodePhoto(PHOTO)
    const detector = new YoloV8Detector(runner, 'user-yolov8', { classNames: CLASSES, inputSize: S })
    const { detections, inputTransform } = await detector.detect(photo)
    // scale 320/640 = 0.5; 426 * 0.5 = 213 rows; top padding floor(107 / 2) = 53.
    expect(inputTransform).toEqual({ scale: 0.5, padX: 0, padY: 53 })
    expect(detections.map((d) => [d.className, d.classId, d.box])).toEqual([
      ['cat', 0, [120, 134, 280, 254]], // x (100 +- 40) / 0.5; y (150 +- 30 - 53) / 0.5
      ['dog', 1, [120, 134, 280, 254]],
      ['bird', 2, [460, 0, 540, 54]], // y (40 - 53) / 0.5 = -26 -> 0; (80 - 53) / 0.5 = 54
    ])
    expect(detections.map((d) => d.score)).toEqual([0.9, 0.7, 0.6].map(Math.fround))
  })

  it('feeds an Ultralytics input: NCHW, 0..1, grey 114 letterbox padding', async () => {
    const photo = await decodePhoto(PHOTO)
    const detector = new YoloV8Detector(runner, 'user-yolov8', { classNames: CLASSES, inputSize: S })
    await detector.detect(photo)
    const feed = runner.calls.at(-1)!.feeds.images
    expect(feed.dims).toEqual([1, 3, S, S])
    const data = feed.data as Float32Array
    const plane = S * S
    for (let c = 0; c < 3; c++) {
      expect(data[c * plane]).toBeCloseTo(114 / 255, 6) // top-left corner: padding
      expect(data[c * plane + (S - 1) * S + S - 1]).toBeCloseTo(114 / 255, 6) // bottom-right: padding
    }
    // First image row (y = 53) is the photo's first two rows averaged 2:1 (to 8-bit rounding).
    const x = 100
    for (let c = 0; c < 3; c++) {
      const top = (photo.rgb[(0 * 640 + 2 * x) * 3 + c] + photo.rgb[(0 * 640 + 2 * x + 1) * 3 + c] + photo.rgb[(1 * 640 + 2 * x) * 3 + c] + photo.rgb[(1 * 640 + 2 * x + 1) * 3 + c]) / 4
      expect(Math.abs(data[c * plane + 53 * S + x] - top / 255)).toBeLessThanOrEqual(0.51 / 255)
    }
  })

  it('honours its thresholds', async () => {
    const photo = await decodePhoto(PHOTO)
    const strict = new YoloV8Detector(runner, 'user-yolov8', { classNames: CLASSES, inputSize: S, scoreThreshold: 0.65 })
    expect((await strict.detect(photo)).detections.map((d) => d.className)).toEqual(['cat', 'dog'])
    const loose = new YoloV8Detector(runner, 'user-yolov8', { classNames: CLASSES, inputSize: S, iouThreshold: 0.9, scoreThreshold: 0.05 })
    expect((await loose.detect(photo)).detections.map((d) => d.score)).toEqual([0.9, 0.8, 0.7, 0.6, 0.2].map(Math.fround))
  })

  it('refuses class lists that do not fit the model, naming the cause', async () => {
    const photo = await decodePhoto(PHOTO)
    const coco = new YoloV8Detector(runner, 'user-yolov8', { inputSize: S })
    await expect(coco.detect(photo)).rejects.toThrow(/model "user-yolov8" has 3 classes but 80 class names were given/)
    const transposed = { type: 'float32' as const, dims: [1, 6, 7], data: new Float32Array(42) }
    expect(() => decodeYoloV8(transposed, 3, 0.25, 'm')).toThrow(/has 2 classes but 3 class names were given \(it looks transposed/)
  })
})
