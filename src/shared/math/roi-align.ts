/**
 * RoIAlign (He et al., Mask R-CNN) over one CHW feature map, as in torchvision's `roi_align`
 * with `aligned=true`: box coordinates are scaled by `spatialScale` and shifted by -0.5 so that
 * pixel centres line up; each of the outH x outW bins averages `samplingRatio`^2 bilinear samples.
 */

/** A CHW feature map (batch of one). */
export interface FeatureMap {
  data: Float32Array
  channels: number
  height: number
  width: number
}

/** Options of one RoIAlign call. */
export interface RoiAlignOptions {
  outH?: number
  outW?: number
  /** Multiplies box coordinates (input pixels) to reach feature-map cells, e.g. 1/stride. */
  spatialScale: number
  samplingRatio?: number
  aligned?: boolean
}

/** Bilinear interpolation of channel plane `c` at (y, x), torchvision's border rules. */
function bilinear(map: FeatureMap, offset: number, y: number, x: number): number {
  const { height: H, width: W, data } = map
  if (y < -1 || y > H || x < -1 || x > W) return 0
  y = Math.max(y, 0)
  x = Math.max(x, 0)
  let y0 = Math.floor(y)
  let x0 = Math.floor(x)
  let y1: number
  let x1: number
  if (y0 >= H - 1) { y0 = y1 = H - 1; y = y0 } else y1 = y0 + 1
  if (x0 >= W - 1) { x0 = x1 = W - 1; x = x0 } else x1 = x0 + 1
  const ly = y - y0
  const lx = x - x0
  const hy = 1 - ly
  const hx = 1 - lx
  return hy * hx * data[offset + y0 * W + x0] + hy * lx * data[offset + y0 * W + x1] +
    ly * hx * data[offset + y1 * W + x0] + ly * lx * data[offset + y1 * W + x1]
}

/** RoIAlign of one box [x1,y1,x2,y2] (input pixels): returns C x outH x outW values. */
export function roiAlign(map: FeatureMap, box: readonly number[], options: RoiAlignOptions): Float32Array {
  const { outH = 7, outW = 7, spatialScale, samplingRatio = 2, aligned = true } = options
  const offset = aligned ? 0.5 : 0
  const x1 = box[0] * spatialScale - offset
  const y1 = box[1] * spatialScale - offset
  let roiW = box[2] * spatialScale - offset - x1
  let roiH = box[3] * spatialScale - offset - y1
  if (!aligned) {
    roiW = Math.max(roiW, 1)
    roiH = Math.max(roiH, 1)
  }
  const binH = roiH / outH
  const binW = roiW / outW
  const gridH = samplingRatio > 0 ? samplingRatio : Math.ceil(roiH / outH)
  const gridW = samplingRatio > 0 ? samplingRatio : Math.ceil(roiW / outW)
  const count = Math.max(gridH * gridW, 1)
  const plane = map.height * map.width
  const out = new Float32Array(map.channels * outH * outW)
  for (let c = 0; c < map.channels; c++) {
    const base = c * plane
    for (let ph = 0; ph < outH; ph++) {
      for (let pw = 0; pw < outW; pw++) {
        let sum = 0
        for (let iy = 0; iy < gridH; iy++) {
          const y = y1 + ph * binH + ((iy + 0.5) * binH) / gridH
          for (let ix = 0; ix < gridW; ix++) {
            const x = x1 + pw * binW + ((ix + 0.5) * binW) / gridW
            sum += bilinear(map, base, y, x)
          }
        }
        out[(c * outH + ph) * outW + pw] = sum / count
      }
    }
  }
  return out
}

/** RoIAlign followed by global average pooling: the object's C-dim feature F_i. */
export function roiAlignPooled(map: FeatureMap, box: readonly number[], options: RoiAlignOptions): Float32Array {
  const { outH = 7, outW = 7 } = options
  const bins = roiAlign(map, box, options)
  const pooled = new Float32Array(map.channels)
  const n = outH * outW
  for (let c = 0; c < map.channels; c++) {
    let s = 0
    for (let k = 0; k < n; k++) s += bins[c * n + k]
    pooled[c] = s / n
  }
  return pooled
}

/** Global average pool of the whole map (the whole-photo node's visual feature). */
export function globalAveragePool(map: FeatureMap): Float32Array {
  const plane = map.height * map.width
  const out = new Float32Array(map.channels)
  for (let c = 0; c < map.channels; c++) {
    let s = 0
    for (let k = 0; k < plane; k++) s += map.data[c * plane + k]
    out[c] = s / plane
  }
  return out
}
