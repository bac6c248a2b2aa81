/**
 * Object features F_i: RoIAlign (bilinear, aligned, sampling ratio 2) of each detected box over
 * the chosen feature map, then global average pooling; F_0 = GAP of the whole map.
 */
import type { Box } from '../../../shared/domain.js'
import { globalAveragePool, roiAlignPooled, type FeatureMap } from '../../../shared/math/roi-align.js'
import type { TensorPayload } from '../inference-types.js'
import { letterboxBox, type InputTransform } from './letterbox.js'

/** A "model:output" feature source, e.g. "centernet-mobilenetv3:features_s32". */
export interface FeatureSource {
  model: string
  output: string
}

/** Parses "model:output". */
export function parseFeatureSource(source: string): FeatureSource {
  const [model, output] = source.split(':')
  if (!model || !output) throw new Error(`feature source "${source}" must look like model:output`)
  return { model, output }
}

/** A [1,C,H,W] float32 model output as a CHW map. */
export function toFeatureMap(t: TensorPayload, name: string): FeatureMap {
  if (t.type !== 'float32' || t.dims.length !== 4 || t.dims[0] !== 1) {
    throw new Error(`feature map ${name} must be float32 [1,C,H,W], got ${t.type} [${t.dims}]`)
  }
  return { data: t.data as Float32Array, channels: t.dims[1], height: t.dims[2], width: t.dims[3] }
}

/**
 * How photo pixels reach the feature map: through a letterbox of the (working) pixels, whose
 * transform starts from working pixels (`photoScale`: original pixels per working pixel), or a
 * plain resize of the whole photo (original size).
 */
export type FeatureGeometry =
  | { kind: 'letterbox'; transform: InputTransform; inputSize: number; photoScale?: { x: number; y: number } }
  | { kind: 'resize'; photoWidth: number; photoHeight: number }

/** A photo box (original photo pixels) in feature-map cells (continuous coordinates). */
export function boxOnMap(box: Box, map: FeatureMap, g: FeatureGeometry): Box {
  if (g.kind === 'letterbox') {
    const k = g.photoScale ?? { x: 1, y: 1 }
    const b = letterboxBox([box[0] / k.x, box[1] / k.y, box[2] / k.x, box[3] / k.y], g.transform)
    const s = map.width / g.inputSize
    return [b[0] * s, b[1] * s, b[2] * s, b[3] * s]
  }
  const sx = map.width / g.photoWidth
  const sy = map.height / g.photoHeight
  return [box[0] * sx, box[1] * sy, box[2] * sx, box[3] * sy]
}

/** F_i for every box and F_0 for the photo. */
export function objectFeatures(map: FeatureMap, boxes: Box[], g: FeatureGeometry): { objects: Float32Array[]; photo: Float32Array } {
  return {
    objects: boxes.map((box) => roiAlignPooled(map, boxOnMap(box, map, g), { spatialScale: 1, samplingRatio: 2, aligned: true, outH: 7, outW: 7 })),
    photo: globalAveragePool(map),
  }
}
