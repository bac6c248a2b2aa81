/**
 * Pipeline stage: object detection with the pack's MobileNetV3-CenterNet (COCO, 80 classes).
 * preprocess (letterbox to 512, NHWC, 0..255, zero padding) -> run -> postprocess (threshold,
 * class-aware NMS, boxes back to original photo pixels).
 */
import type { Box, Detection } from '../../../shared/domain.js'
import { COCO_CLASSES } from '../../../shared/class-names.js'
import type { InferenceRunner, TensorMap, TensorPayload } from '../inference-types.js'
import { letterbox, resizeTo, unletterboxBox, type InputTransform } from './letterbox.js'
import { boxArea, nms } from './nms.js'

/** The pixels a detector needs: a decoded photo (`decodePhoto`) or any upright RGB image. */
export interface PhotoPixels {
  rgb: Uint8Array
  width: number
  height: number
  /**
   * The size of the photo itself when `rgb` is a smaller working copy of it (large photos are
   * decoded at reduced size): detections are reported in these pixels. Default: width x height.
   */
  original?: { width: number; height: number }
}

/** The size of the photo that boxes refer to (its original size, not a working copy's). */
export function photoSize(photo: PhotoPixels): { width: number; height: number } {
  return photo.original ?? { width: photo.width, height: photo.height }
}

/** Original photo pixels per working pixel, along each axis (1 when the pixels are the photo's own). */
export function photoScale(photo: PhotoPixels): { x: number; y: number } {
  const size = photoSize(photo)
  return { x: size.width / photo.width, y: size.height / photo.height }
}

/** A detection in model input pixels, before it is mapped back to the photo. */
export interface RawDetection {
  box: Box
  score: number
  classId: number
}

/** Thresholds shared by the detector adapters. */
export interface DetectorThresholds {
  /** Detections scoring below this are dropped. Default 0.25. */
  scoreThreshold?: number
  /** Class-aware NMS IoU threshold. Default 0.5. */
  iouThreshold?: number
}

/** Result of one detection call. */
export interface DetectionResult {
  detections: Detection[]
  /** Extra model outputs that were asked for (feature maps for RoIAlign), by output name. */
  features?: Record<string, TensorPayload>
  /** How the given pixels (a working copy, for large photos: see `photoScale`) map to model input pixels. */
  inputTransform: InputTransform
}

/**
 * Thresholds, suppresses and maps raw detections to photo pixels (the original photo's, when the
 * pixels are a working copy). Drops unknown class ids and
 * boxes that are empty once clamped to the photo (e.g. boxes lying in the letterbox padding).
 */
export function finishDetections(
  raw: RawDetection[],
  transform: InputTransform,
  photo: PhotoPixels,
  classNames: readonly string[],
  thresholds: Required<DetectorThresholds>,
): Detection[] {
  const mapped: Detection[] = []
  const scale = photoScale(photo)
  for (const r of raw) {
    if (!(r.score >= thresholds.scoreThreshold)) continue
    if (!Number.isInteger(r.classId) || r.classId < 0 || r.classId >= classNames.length) continue
    const b = unletterboxBox(r.box, transform, photo.width, photo.height)
    const box: Box = [b[0] * scale.x, b[1] * scale.y, b[2] * scale.x, b[3] * scale.y]
    if (boxArea(box) <= 0) continue
    mapped.push({ box, score: r.score, classId: r.classId, className: classNames[r.classId] })
  }
  return nms(mapped, { iouThreshold: thresholds.iouThreshold })
}

/** Returns `outputs[name]` or throws an error naming the model and what it did return. */
export function requireOutput(outputs: TensorMap, name: string, model: string): TensorPayload {
  const t = outputs[name]
  if (!t) throw new Error(`model "${model}" returned no "${name}" output (got: ${Object.keys(outputs).join(', ') || 'nothing'})`)
  return t
}

/** Feature maps the CenterNet model can also return. */
export type CenterNetFeature = 'features_s32' | 'features_fpn'

/** Options of `CenterNetDetector`. */
export interface CenterNetOptions extends DetectorThresholds {
  /** Letterbox the input (how the model was trained; default true). False stretches to 512x512. */
  letterbox?: boolean
  /** Model input side. Default 512. */
  inputSize?: number
  /** Class names by id. Default COCO's 80. */
  classNames?: readonly string[]
}

/** Adapter for the CenterNet detector of the model pack (input `images`, output `detections` [1,N,6]). */
export class CenterNetDetector {
  private readonly thresholds: Required<DetectorThresholds>
  private readonly useLetterbox: boolean
  private readonly inputSize: number
  private readonly classNames: readonly string[]

  constructor(
    private readonly runner: InferenceRunner,
    readonly modelName = 'centernet-mobilenetv3',
    options: CenterNetOptions = {},
  ) {
    this.thresholds = { scoreThreshold: options.scoreThreshold ?? 0.25, iouThreshold: options.iouThreshold ?? 0.5 }
    this.useLetterbox = options.letterbox ?? true
    this.inputSize = options.inputSize ?? 512
    this.classNames = options.classNames ?? COCO_CLASSES
  }

  /** Detects objects in a photo; optionally also returns feature maps from the same run. */
  async detect(photo: PhotoPixels, options: { fetchFeatures?: CenterNetFeature[]; signal?: AbortSignal } = {}): Promise<DetectionResult> {
    const input = this.useLetterbox
      ? await letterbox(photo.rgb, photo.width, photo.height, this.inputSize, { pad: 0, layout: 'NHWC', scale: 255 })
      : await resizeTo(photo.rgb, photo.width, photo.height, this.inputSize, { layout: 'NHWC', scale: 255 })
    const featureNames = options.fetchFeatures ?? []
    const outputs = await this.runner.run(
      this.modelName,
      { images: { type: 'float32', dims: input.dims, data: input.tensor } },
      ['detections', ...featureNames],
      { signal: options.signal },
    )
    const raw = decodeCenterNet(requireOutput(outputs, 'detections', this.modelName), this.modelName)
    const detections = finishDetections(raw, input.transform, photo, this.classNames, this.thresholds)
    const result: DetectionResult = { detections, inputTransform: input.transform }
    if (featureNames.length > 0) {
      result.features = Object.fromEntries(featureNames.map((n) => [n, requireOutput(outputs, n, this.modelName)]))
    }
    return result
  }
}

/** Reads CenterNet's `detections` [1, N, 6] rows (x1, y1, x2, y2, score, class), skipping NaN classes. */
export function decodeCenterNet(t: TensorPayload, model = 'centernet-mobilenetv3'): RawDetection[] {
  const [batch, rows, cols] = t.dims
  if (t.dims.length !== 3 || batch !== 1 || cols !== 6 || t.type !== 'float32') {
    throw new Error(`model "${model}" output "detections" must be float32 [1,N,6], got ${t.type} [${t.dims.join(',')}]`)
  }
  const d = t.data as Float32Array
  const raw: RawDetection[] = []
  for (let i = 0; i < rows; i++) {
    const o = i * 6
    if (Number.isNaN(d[o + 5])) continue
    raw.push({ box: [d[o], d[o + 1], d[o + 2], d[o + 3]], score: d[o + 4], classId: Math.round(d[o + 5]) })
  }
  return raw
}
