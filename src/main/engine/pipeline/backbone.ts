/**
 * Pipeline stage: backbone feature maps (InceptionV3 `mixed5`/`mixed10`, MobileNetV2 `block_10`,
 * pooled vectors) of a whole photo. preprocess (resize per the manifest entry's `preprocessing`,
 * scale) -> run -> return the asked-for outputs untouched.
 */
import type { InferenceRunner, TensorPayload } from '../inference-types.js'
import { letterbox, resizeTo, type ModelInput, type TensorLayout } from './letterbox.js'
import { requireOutput, type PhotoPixels } from './detect.js'

/** How a backbone wants its input, parsed from a manifest entry's `preprocessing`. */
export interface BackbonePreprocessing {
  /** Input tensor name. Default "images". */
  inputName: string
  /** Square input side, e.g. 299 (InceptionV3) or 224 (MobileNetV2). */
  size: number
  /** Default 'NHWC' (Keras). */
  layout: TensorLayout
  /** Channel order. Default 'RGB'. */
  colour: 'RGB' | 'BGR'
  /** 'stretch' (plain bilinear resize, default) or 'letterbox' (aspect kept, zero padding). */
  resize: 'stretch' | 'letterbox'
  /** Pixel values 0..255 are mapped linearly onto [lo, hi]. Default [0, 1]. */
  range: [number, number]
  /** Optional per-channel normalisation after `range`, in the model's channel order: (v - mean) / std. */
  mean?: [number, number, number]
  std?: [number, number, number]
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined
}

function triple(v: unknown, key: string): [number, number, number] | undefined {
  if (v === undefined) return undefined
  if (Array.isArray(v) && v.length === 3 && v.every((x) => num(x) !== undefined)) return v as [number, number, number]
  throw new Error(`backbone preprocessing "${key}" must be three numbers, got ${JSON.stringify(v)}`)
}

/** The value range from `range`, `scale` (1, 1/255, 255, or "lo..hi") or `divideBy` (255 -> [0, 1]). */
function parseRange(record: Record<string, unknown>): [number, number] {
  const { range, scale, divideBy } = record
  if (range !== undefined) {
    if (Array.isArray(range) && range.length === 2 && range.every((x) => num(x) !== undefined)) return range as [number, number]
    throw new Error(`backbone preprocessing "range" must be [lo, hi], got ${JSON.stringify(range)}`)
  }
  if (typeof scale === 'string') {
    const m = /^\s*(-?\d+(?:\.\d+)?)\s*\.\.\s*(-?\d+(?:\.\d+)?)\s*$/.exec(scale)
    if (m) return [Number(m[1]), Number(m[2])]
  } else if (scale !== undefined) {
    if (scale === 255) return [0, 255]
    if (scale === 1 || (typeof scale === 'number' && Math.abs(scale - 1 / 255) < 1e-9)) return [0, 1]
  } else if (divideBy !== undefined) {
    if (num(divideBy) && (divideBy as number) > 0) return [0, 255 / (divideBy as number)]
    throw new Error(`backbone preprocessing "divideBy" must be a positive number, got ${JSON.stringify(divideBy)}`)
  } else {
    return [0, 1]
  }
  throw new Error(`backbone preprocessing "scale" must be 1, 1/255, 255 or "lo..hi", got ${JSON.stringify(scale)}`)
}

/**
 * Reads a manifest `preprocessing` record (as written by the pack's converters). Keys: `size` |
 * `inputSize` | `width` (square), `inputName`, `layout`, `colour` ('RGB' | 'BGR'), `resize`
 * ('stretch' | 'bilinear' | 'letterbox'; `keepAspect: true` or `letterbox: true` also letterbox),
 * `range` ([lo, hi]) | `scale` | `divideBy`, `mean`, `std`. `alignCorners` is accepted but resizing
 * is always pixel-centre aligned and antialiased (the two differ by under half an input pixel).
 */
export function parseBackbonePreprocessing(record: Record<string, unknown>): BackbonePreprocessing {
  const size = num(record.size) ?? num(record.inputSize) ?? num(record.width)
  if (!size || !Number.isInteger(size) || size <= 0) {
    throw new Error(`backbone preprocessing needs an integer input "size" (got ${JSON.stringify(record)})`)
  }
  if (num(record.height) !== undefined && record.height !== size) {
    throw new Error(`backbone preprocessing: only square inputs are supported (got ${size} x ${String(record.height)})`)
  }
  const layout = record.layout ?? 'NHWC'
  if (layout !== 'NHWC' && layout !== 'NCHW') throw new Error(`backbone preprocessing "layout" must be NHWC or NCHW, got ${String(layout)}`)
  const colour = record.colour ?? 'RGB'
  if (colour !== 'RGB' && colour !== 'BGR') throw new Error(`backbone preprocessing "colour" must be RGB or BGR, got ${String(colour)}`)
  const resizeKey = record.resize ?? 'stretch'
  if (resizeKey !== 'stretch' && resizeKey !== 'bilinear' && resizeKey !== 'letterbox') {
    throw new Error(`backbone preprocessing "resize" must be stretch, bilinear or letterbox, got ${String(resizeKey)}`)
  }
  const resize = resizeKey === 'letterbox' || record.keepAspect === true || record.letterbox === true ? 'letterbox' : 'stretch'
  const inputName = typeof record.inputName === 'string' ? record.inputName : 'images'
  return { inputName, size, layout, colour, resize, range: parseRange(record), mean: triple(record.mean, 'mean'), std: triple(record.std, 'std') }
}

/** Builds the backbone input tensor of a photo (exported for tests and for batching callers). */
export async function backboneInput(photo: PhotoPixels, p: BackbonePreprocessing): Promise<ModelInput> {
  const input = p.resize === 'letterbox'
    ? await letterbox(photo.rgb, photo.width, photo.height, p.size, { layout: p.layout, scale: 255 })
    : await resizeTo(photo.rgb, photo.width, photo.height, p.size, { layout: p.layout, scale: 255 })
  const t = input.tensor
  const plane = p.size * p.size
  if (p.colour === 'BGR') {
    for (let i = 0; i < plane; i++) {
      const [r, b] = p.layout === 'NHWC' ? [i * 3, i * 3 + 2] : [i, 2 * plane + i]
      const red = t[r]
      t[r] = t[b]
      t[b] = red
    }
  }
  const [lo, hi] = p.range
  const k = (hi - lo) / 255
  for (let i = 0; i < t.length; i++) {
    const c = p.layout === 'NHWC' ? i % 3 : Math.floor(i / plane)
    let v = lo + t[i] * k
    if (p.mean) v -= p.mean[c]
    if (p.std) v /= p.std[c]
    t[i] = v
  }
  return input
}

/** Runs a backbone of the pack on whole photos and returns the requested outputs by name. */
export class BackboneExtractor {
  readonly preprocessing: BackbonePreprocessing

  constructor(
    private readonly runner: InferenceRunner,
    readonly modelName: string,
    preprocessing: BackbonePreprocessing | Record<string, unknown>,
  ) {
    this.preprocessing = parseBackbonePreprocessing(preprocessing as Record<string, unknown>)
  }

  /** Feature tensors of one photo, e.g. `extract(photo, ['mixed5', 'pooled'])`. */
  async extract(photo: PhotoPixels, outputs: string[], options: { signal?: AbortSignal } = {}): Promise<Record<string, TensorPayload>> {
    if (outputs.length === 0) throw new Error(`BackboneExtractor(${this.modelName}).extract: ask for at least one output`)
    const input = await backboneInput(photo, this.preprocessing)
    const result = await this.runner.run(
      this.modelName,
      { [this.preprocessing.inputName]: { type: 'float32', dims: input.dims, data: input.tensor } },
      outputs,
      { signal: options.signal },
    )
    return Object.fromEntries(outputs.map((name) => [name, requireOutput(result, name, this.modelName)]))
  }
}
