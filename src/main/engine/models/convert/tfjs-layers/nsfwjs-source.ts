/**
 * Reads the TF.js layers models that nsfwjs ships as browserify bundles:
 * `model.min.js` wraps the model.json as a JS object literal and every
 * `group1-shardXofY.min.js` wraps one weight shard as a base64 string
 * (nsfwjs decodes it with `Buffer.from(base64, 'base64')` in `JSONHandler`).
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import vm from 'node:vm'
import type { KerasModelTopology, LayersModelArtifacts, WeightSpec } from './keras-types.js'

/** The nsfwjs model folders this module knows. */
export type NsfwjsModelName = 'inception_v3' | 'mobilenet_v2' | 'mobilenet_v2_mid'

interface ModelJson {
  modelTopology: KerasModelTopology
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[]
}

/**
 * Evaluates a `model.min.js` bundle in an empty `node:vm` context that holds only
 * `module`/`exports` (no `require`, no process, no globals of this realm), so the UMD
 * wrapper assigns the model object to `module.exports`. The object is copied out through JSON.
 */
export function parseModelBundle(source: string, label = 'model.min.js'): ModelJson {
  const module = { exports: {} as unknown }
  const sandbox = vm.createContext({ module, exports: module.exports })
  vm.runInContext(source, sandbox, { timeout: 10_000, filename: label })
  const json = JSON.parse(JSON.stringify(module.exports)) as Partial<ModelJson>
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new Error(`${label} did not export a TF.js model.json (no modelTopology/weightsManifest)`)
  }
  return json as ModelJson
}

/** Extracts the base64 weight string from a shard bundle (`exports="..."`) without running it. */
export function parseShardBundle(source: string, label = 'shard'): Uint8Array {
  let best = ''
  for (const m of source.matchAll(/\.exports\s*=\s*"([A-Za-z0-9+/=]+)"/g)) if (m[1].length > best.length) best = m[1]
  if (!best) throw new Error(`${label}: no base64 weight string found`)
  const bytes = Buffer.from(best, 'base64')
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

const BYTES_PER_VALUE: Record<string, number> = { uint8: 1, uint16: 2, float16: 2, float32: 4, int32: 4 }

/** Bytes one weight occupies in the shards (quantized or not). */
export function weightByteLength(spec: WeightSpec): number {
  const size = spec.shape.reduce((a, b) => a * b, 1)
  return size * BYTES_PER_VALUE[spec.quantization?.dtype ?? spec.dtype]
}

/**
 * Loads one nsfwjs model (`<nsfwjsDir>/dist/models/<name>/`) as in-memory TF.js artifacts:
 * the Keras topology, the weight specs in manifest order and all shards concatenated.
 */
export async function readNsfwjsModel(nsfwjsDir: string, name: NsfwjsModelName): Promise<LayersModelArtifacts> {
  const dir = path.join(nsfwjsDir, 'dist', 'models', name)
  const modelFile = path.join(dir, 'model.min.js')
  const json = parseModelBundle(await readFile(modelFile, 'utf8'), modelFile)
  const weightSpecs: WeightSpec[] = []
  const shards: Uint8Array[] = []
  for (const group of json.weightsManifest) {
    for (const shardPath of group.paths) {
      const file = path.join(dir, `${shardPath}.min.js`)
      shards.push(parseShardBundle(await readFile(file, 'utf8'), file))
    }
    weightSpecs.push(...group.weights)
  }
  const total = shards.reduce((a, s) => a + s.byteLength, 0)
  const expected = weightSpecs.reduce((a, s) => a + weightByteLength(s), 0)
  if (total !== expected) throw new Error(`${dir}: weight shards hold ${total} bytes, the manifest describes ${expected}`)
  const weightData = new Uint8Array(total)
  let offset = 0
  for (const s of shards) {
    weightData.set(s, offset)
    offset += s.byteLength
  }
  return { modelTopology: json.modelTopology, weightSpecs, weightData }
}
