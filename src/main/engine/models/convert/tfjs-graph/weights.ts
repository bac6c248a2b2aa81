/**
 * Reads a TF.js graph model from disk: `model.json` plus its weight shards, decoded to typed
 * constants (float16 and uint8/uint16 affine quantization dequantized to float32).
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { decodeFloat16 } from '../../float16.js'
import { type ConstTensor, sizeOf } from './const-tensor.js'
import type { TfGraphModelJson, TfWeightSpec } from './graph-model.js'

/** A graph model with its weights decoded by name. */
export interface LoadedGraphModel {
  json: TfGraphModelJson
  weights: Map<string, ConstTensor>
}

/** Loads `model.json` and its shards (paths relative to the JSON file). */
export function loadGraphModel(jsonPath: string): LoadedGraphModel {
  const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as TfGraphModelJson
  if (json.format !== undefined && json.format !== 'graph-model') {
    throw new Error(`${jsonPath}: format "${json.format}" is not a TF.js graph model`)
  }
  const weights = new Map<string, ConstTensor>()
  for (const group of json.weightsManifest) {
    const bytes = new Uint8Array(Buffer.concat(group.paths.map((p) => readFileSync(path.join(path.dirname(jsonPath), p)))))
    const used = decodeWeightGroup(group.weights, bytes, weights)
    if (used !== bytes.length) {
      throw new Error(`${jsonPath}: weights use ${used} bytes but the shards hold ${bytes.length}`)
    }
  }
  return { json, weights }
}

/** Decodes consecutive weights from one group's bytes into `into`; returns the bytes used. */
export function decodeWeightGroup(specs: TfWeightSpec[], bytes: Uint8Array, into: Map<string, ConstTensor>): number {
  let offset = 0
  for (const spec of specs) {
    const n = sizeOf(spec.shape)
    const q = spec.quantization
    const width = q ? { float16: 2, uint16: 2, uint8: 1 }[q.dtype] : spec.dtype === 'bool' ? 1 : 4
    if (width === undefined) throw new Error(`weight ${spec.name}: unsupported quantization ${q?.dtype}`)
    if (offset + n * width > bytes.length) throw new Error(`weight ${spec.name}: runs past the end of the weight data`)
    into.set(spec.name, decodeOne(spec, bytes, offset, n))
    offset += n * width
  }
  return offset
}

function decodeOne(spec: TfWeightSpec, bytes: Uint8Array, offset: number, n: number): ConstTensor {
  const shape = spec.shape.slice()
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const q = spec.quantization
  if (q?.dtype === 'float16') {
    if (spec.dtype !== 'float32') throw new Error(`weight ${spec.name}: float16 quantization of ${spec.dtype}`)
    return { dtype: 'float32', shape, data: decodeFloat16(bytes, offset, n) }
  }
  if (q) {
    const scale = q.scale ?? 1
    const min = q.min ?? 0
    const values = Array.from({ length: n }, (_, k) => (q.dtype === 'uint8' ? bytes[offset + k] : view.getUint16(offset + 2 * k, true)) * scale + min)
    return spec.dtype === 'int32'
      ? { dtype: 'int32', shape, data: Int32Array.from(values, Math.round) }
      : { dtype: 'float32', shape, data: Float32Array.from(values) }
  }
  switch (spec.dtype) {
    case 'float32': return { dtype: 'float32', shape, data: Float32Array.from({ length: n }, (_, k) => view.getFloat32(offset + 4 * k, true)) }
    case 'int32': return { dtype: 'int32', shape, data: Int32Array.from({ length: n }, (_, k) => view.getInt32(offset + 4 * k, true)) }
    case 'bool': return { dtype: 'bool', shape, data: bytes.slice(offset, offset + n) }
    default: throw new Error(`weight ${spec.name}: unsupported dtype ${spec.dtype}`)
  }
}
