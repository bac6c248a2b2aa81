/**
 * Adapter for a user-supplied YOLOv8-style ONNX detector (Ultralytics export): input [1,3,S,S]
 * NCHW RGB 0..1 letterboxed with grey 114, output [1, 4+C, N] whose rows are cx, cy, w, h (input
 * pixels) followed by C class scores (already sigmoid; no objectness).
 */
import type { Detection } from '../../../shared/domain.js'
import { COCO_CLASSES } from '../../../shared/class-names.js'
import type { InferenceRunner, TensorPayload } from '../inference-types.js'
import { letterbox, type InputTransform } from './letterbox.js'
import { finishDetections, requireOutput, type DetectorThresholds, type PhotoPixels, type RawDetection } from './detect.js'

/** Options of `YoloV8Detector`. */
export interface YoloV8Options extends DetectorThresholds {
  /** Class names by id; their count must equal C. Default COCO's 80. */
  classNames?: readonly string[]
  /** Model input side S. Default 640. */
  inputSize?: number
  /** Input tensor name. Default "images" (Ultralytics). */
  inputName?: string
  /** Output tensor name. Default "output0" (Ultralytics). */
  outputName?: string
}

/** Result of one YOLOv8 detection call. */
export interface YoloV8Result {
  detections: Detection[]
  inputTransform: InputTransform
}

/** Detects objects with a YOLOv8-layout ONNX model registered in the engine under `modelName`. */
export class YoloV8Detector {
  private readonly thresholds: Required<DetectorThresholds>
  private readonly classNames: readonly string[]
  private readonly inputSize: number
  private readonly inputName: string
  private readonly outputName: string

  constructor(
    private readonly runner: InferenceRunner,
    readonly modelName: string,
    options: YoloV8Options = {},
  ) {
    this.thresholds = { scoreThreshold: options.scoreThreshold ?? 0.25, iouThreshold: options.iouThreshold ?? 0.5 }
    this.classNames = options.classNames ?? COCO_CLASSES
    this.inputSize = options.inputSize ?? 640
    this.inputName = options.inputName ?? 'images'
    this.outputName = options.outputName ?? 'output0'
  }

  /** Detects objects in a photo; boxes are in original photo pixels. */
  async detect(photo: PhotoPixels, options: { signal?: AbortSignal } = {}): Promise<YoloV8Result> {
    const input = await letterbox(photo.rgb, photo.width, photo.height, this.inputSize, { pad: 114, layout: 'NCHW', scale: 1 })
    const outputs = await this.runner.run(
      this.modelName,
      { [this.inputName]: { type: 'float32', dims: input.dims, data: input.tensor } },
      [this.outputName],
      { signal: options.signal },
    )
    const raw = decodeYoloV8(requireOutput(outputs, this.outputName, this.modelName), this.classNames.length, this.thresholds.scoreThreshold, this.modelName)
    return { detections: finishDetections(raw, input.transform, photo, this.classNames, this.thresholds), inputTransform: input.transform }
  }
}

/**
 * Decodes a [1, 4+C, N] YOLOv8 output: for each of the N candidates, the best class and its score;
 * candidates under `scoreThreshold` are skipped. Boxes become corners in input pixels.
 */
export function decodeYoloV8(t: TensorPayload, classCount: number, scoreThreshold: number, model = 'yolov8'): RawDetection[] {
  const [batch, rows, n] = t.dims
  if (t.dims.length !== 3 || batch !== 1 || t.type !== 'float32' || rows < 5) {
    throw new Error(`model "${model}" output must be float32 [1, 4+C, N] (YOLOv8 layout), got ${t.type} [${t.dims.join(',')}]`)
  }
  if (rows - 4 !== classCount) {
    const hint = t.dims[2] - 4 === classCount ? ' (it looks transposed: [1, N, 4+C]; re-export with the Ultralytics default layout)' : ''
    throw new Error(`model "${model}" has ${rows - 4} classes but ${classCount} class names were given${hint}`)
  }
  const d = t.data as Float32Array
  const raw: RawDetection[] = []
  for (let i = 0; i < n; i++) {
    let best = -1
    let score = -Infinity
    for (let c = 0; c < classCount; c++) {
      const s = d[(4 + c) * n + i]
      if (s > score) { score = s; best = c }
    }
    if (!(score >= scoreThreshold)) continue
    const cx = d[i]
    const cy = d[n + i]
    const hw = d[2 * n + i] / 2
    const hh = d[3 * n + i] / 2
    raw.push({ box: [cx - hw, cy - hh, cx + hw, cy + hh], score, classId: best })
  }
  return raw
}
