/**
 * A reusable harness that runs an original TF.js graph model on `@tensorflow/tfjs` with the wasm
 * backend, as the reference for parity tests and benchmarks of the ONNX converters.
 * The wasm binaries are read from the installed package (no network), and the model is loaded
 * from its JSON + weight files through `tf.io.fromMemory` (no fetch, no file:// handler).
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import * as tf from '@tensorflow/tfjs'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'

export { tf }

let ready: Promise<void> | null = null

/** Initialises tfjs on the wasm backend once per process (later calls reuse it). */
export function initTfjsWasm(): Promise<void> {
  ready ??= (async () => {
    const require = createRequire(import.meta.url)
    const pkgDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'))
    // A file path with a trailing slash: the backend appends the binary's name to it.
    setWasmPaths(path.join(pkgDir, 'dist') + path.sep)
    const ok = await tf.setBackend('wasm')
    if (!ok) throw new Error('tfjs: the wasm backend failed to initialise')
    await tf.ready()
  })()
  return ready
}

/** Loads a TF.js graph model (model.json + its weight shards) from a folder on disk. */
export async function loadGraphModelFromFiles(jsonPath: string): Promise<tf.GraphModel> {
  await initTfjsWasm()
  const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as {
    modelTopology: unknown
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[]
    format?: string
    generatedBy?: string
    convertedBy?: string
    signature?: unknown
  }
  const dir = path.dirname(jsonPath)
  const weightSpecs = json.weightsManifest.flatMap((group) => group.weights)
  const shards = json.weightsManifest.flatMap((group) => group.paths.map((p) => readFileSync(path.join(dir, p))))
  const joined = Buffer.concat(shards)
  const weightData = joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength)
  const handler = tf.io.fromMemory({
    modelTopology: json.modelTopology as object,
    weightSpecs,
    weightData,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    signature: json.signature as object | undefined,
  } as tf.io.ModelArtifacts)
  return tf.loadGraphModel(handler)
}

/** A float32 result of one named graph node: its values and shape. */
export interface NodeValue {
  data: Float32Array
  shape: number[]
}

/**
 * Runs `model` on one float32 input and returns the named nodes' values (synchronous execution;
 * the graph must have no control flow). Intermediate node names work as well as outputs.
 */
export function executeNodes(model: tf.GraphModel, input: Float32Array, shape: number[], nodeNames: string[]): Record<string, NodeValue> {
  const x = tf.tensor(input, shape, 'float32')
  const raw = model.execute(x, nodeNames)
  const outs = Array.isArray(raw) ? raw : [raw]
  const result: Record<string, NodeValue> = {}
  nodeNames.forEach((name, k) => {
    result[name] = { data: Float32Array.from(outs[k].dataSync() as ArrayLike<number>), shape: outs[k].shape.slice() }
  })
  tf.dispose([x, ...outs])
  return result
}
