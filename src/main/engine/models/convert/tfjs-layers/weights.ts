/**
 * Decodes TF.js weight shards into float32 arrays exactly as `tf.io.decodeWeights` does:
 * uint8/uint16 quantized values become `v * scale + min` (computed in double, stored as float32),
 * float16 values are widened, float32 values are copied.
 */
import { float16Table } from '../../float16.js'
import type { WeightSpec } from './keras-types.js'
import { weightByteLength } from './nsfwjs-source.js'

/** One decoded weight: its Keras shape and float32 values (row-major, Keras layout). */
export interface Weight {
  name: string
  shape: number[]
  data: Float32Array
}

/** Decodes one weight from its bytes (a copy is made; `bytes` may be unaligned). */
export function decodeWeight(spec: WeightSpec, bytes: Uint8Array): Weight {
  if (spec.dtype !== 'float32') throw new Error(`weight ${spec.name}: dtype ${spec.dtype} is not supported (float32 only)`)
  const size = spec.shape.reduce((a, b) => a * b, 1)
  const data = new Float32Array(size)
  const copy = bytes.slice()
  const q = spec.quantization
  if (!q) {
    data.set(new Float32Array(copy.buffer, 0, size))
  } else if (q.dtype === 'uint8' || q.dtype === 'uint16') {
    if (q.scale === undefined || q.min === undefined) throw new Error(`weight ${spec.name}: ${q.dtype} quantization without scale/min`)
    const values = q.dtype === 'uint8' ? copy : new Uint16Array(copy.buffer, 0, size)
    for (let i = 0; i < size; i++) data[i] = values[i] * q.scale + q.min
  } else if (q.dtype === 'float16') {
    const values = new Uint16Array(copy.buffer, 0, size)
    const lut = float16Table()
    for (let i = 0; i < size; i++) data[i] = lut[values[i]]
  } else {
    throw new Error(`weight ${spec.name}: unknown quantization ${String((q as { dtype: string }).dtype)}`)
  }
  return { name: spec.name, shape: spec.shape, data }
}

/** All weights of a model by name; tracks which ones the converter used. */
export class WeightStore {
  private readonly weights = new Map<string, Weight>()
  private readonly used = new Set<string>()

  constructor(specs: WeightSpec[], weightData: Uint8Array) {
    let offset = 0
    for (const spec of specs) {
      const length = weightByteLength(spec)
      if (offset + length > weightData.byteLength) throw new Error(`weight ${spec.name} runs past the end of the weight data`)
      this.weights.set(spec.name, decodeWeight(spec, weightData.subarray(offset, offset + length)))
      offset += length
    }
  }

  /** Whether `layer/param` exists. */
  has(layer: string, param: string): boolean {
    return this.weights.has(`${layer}/${param}`)
  }

  /** The weight `layer/param`, checked against an expected shape when one is given. */
  get(layer: string, param: string, shape?: number[]): Weight {
    const name = `${layer}/${param}`
    const w = this.weights.get(name)
    if (!w) throw new Error(`weight ${name} is missing (layer ${layer} has: ${this.namesOf(layer).join(', ') || 'none'})`)
    if (shape && (shape.length !== w.shape.length || shape.some((d, k) => d !== w.shape[k]))) {
      throw new Error(`weight ${name} has shape [${w.shape.join(',')}], expected [${shape.join(',')}]`)
    }
    this.used.add(name)
    return w
  }

  /** Names of all weights belonging to a layer. */
  namesOf(layer: string): string[] {
    return [...this.weights.keys()].filter((n) => n.startsWith(`${layer}/`))
  }

  /** Weights never read so far, restricted to the given layers (all when omitted). */
  unused(layers?: Iterable<string>): string[] {
    const names = layers ? [...layers].flatMap((l) => this.namesOf(l)) : [...this.weights.keys()]
    return names.filter((n) => !this.used.has(n))
  }

  /** Number of weights. */
  get size(): number {
    return this.weights.size
  }
}
