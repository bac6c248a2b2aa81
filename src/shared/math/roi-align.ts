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

/** The box geometry shared by every channel: bin sizes and the sampling grid. */
function roiGrid(box: readonly number[], options: RoiAlignOptions) {
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
  return { outH, outW, x1, y1, binH, binW, gridH, gridW, count: Math.max(gridH * gridW, 1) }
}

/**
 * Visits the (up to) 4 bilinear taps of the sample point (y, x) on an H x W plane, torchvision's
 * border rules: points more than one cell outside give nothing, others are clamped to the edge.
 */
function bilinearTaps(H: number, W: number, y: number, x: number, visit: (cell: number, weight: number) => void): void {
  if (y < -1 || y > H || x < -1 || x > W) return
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
  visit(y0 * W + x0, (1 - ly) * (1 - lx))
  visit(y0 * W + x1, (1 - ly) * lx)
  visit(y1 * W + x0, ly * (1 - lx))
  visit(y1 * W + x1, ly * lx)
}

/** The sampled map cells of one output bin and their summed bilinear weights (sparse). */
type BinTaps = Map<number, number>

/**
 * For every output bin, the weight of each map cell it samples, the same for all channels, so
 * each channel's bin value is one short dot product (torchvision's pre-computation).
 */
function binTaps(map: FeatureMap, box: readonly number[], options: RoiAlignOptions): BinTaps[] {
  const g = roiGrid(box, options)
  const bins: BinTaps[] = []
  for (let ph = 0; ph < g.outH; ph++) {
    for (let pw = 0; pw < g.outW; pw++) {
      const taps: BinTaps = new Map()
      for (let iy = 0; iy < g.gridH; iy++) {
        const y = g.y1 + ph * g.binH + ((iy + 0.5) * g.binH) / g.gridH
        for (let ix = 0; ix < g.gridW; ix++) {
          const x = g.x1 + pw * g.binW + ((ix + 0.5) * g.binW) / g.gridW
          bilinearTaps(map.height, map.width, y, x, (cell, w) => taps.set(cell, (taps.get(cell) ?? 0) + w / g.count))
        }
      }
      bins.push(taps)
    }
  }
  return bins
}

/** out[c * rows.length + r] = sum over the taps of row r of weight * data[c][cell]. */
function weightedSums(map: FeatureMap, rows: BinTaps[]): Float32Array {
  const plane = map.height * map.width
  const { data, channels } = map
  const out = new Float32Array(channels * rows.length)
  rows.forEach((taps, r) => {
    const cells = Int32Array.from(taps.keys())
    const ws = Float64Array.from(taps.values())
    for (let c = 0; c < channels; c++) {
      const base = c * plane
      let s = 0
      for (let t = 0; t < cells.length; t++) s += ws[t] * data[base + cells[t]]
      out[c * rows.length + r] = s
    }
  })
  return out
}

/** RoIAlign of one box [x1,y1,x2,y2] (input pixels): returns C x outH x outW values. */
export function roiAlign(map: FeatureMap, box: readonly number[], options: RoiAlignOptions): Float32Array {
  return weightedSums(map, binTaps(map, box, options))
}

/**
 * RoIAlign followed by global average pooling: the object's C-dim feature F_i. The mean over
 * bins is folded into one weight per sampled map cell, so each channel is one short dot product.
 */
export function roiAlignPooled(map: FeatureMap, box: readonly number[], options: RoiAlignOptions): Float32Array {
  const bins = binTaps(map, box, options)
  const pooled: BinTaps = new Map()
  for (const taps of bins) for (const [cell, w] of taps) pooled.set(cell, (pooled.get(cell) ?? 0) + w / bins.length)
  return weightedSums(map, [pooled])
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
