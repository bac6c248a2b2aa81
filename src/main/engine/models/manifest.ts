/**
 * The model pack manifest: what each built model file is, where it came from, and its sha256.
 * Written by the pack builder (`npm run build:models`, also run by `npm install`), read by the engine.
 */

/** What a model does in the pipeline. */
export type ModelRole = 'detector' | 'backbone' | 'word-vectors' | 'head' | 'head-graph'

/** One named input or output of a model. */
export interface TensorSpec {
  name: string
  /** Dimensions; strings are symbolic (e.g. "N"). */
  shape: (number | string)[]
  dtype: string
  description?: string
}

/** One file of the pack. */
export interface ModelEntry {
  /** Stable name used by the engine and the CLI, e.g. "centernet-mobilenetv3". */
  name: string
  role: ModelRole
  /** File name inside the pack folder. */
  file: string
  /** npm package the weights come from, as name@version. */
  source: string
  /** Human-readable description naming the real architecture. */
  description: string
  inputs: TensorSpec[]
  outputs: TensorSpec[]
  /** How inputs must be prepared (size, colour order, scaling, letterbox, ...). */
  preprocessing: Record<string, unknown>
  /** Extra facts for adapters (class names, strides, ...). */
  extra?: Record<string, unknown>
  /** onnxruntime intra-op threads for this model when not all cores pay off (small graphs run best on one). */
  intraOpThreads?: number
  sha256: string
  bytes: number
}

/** The whole manifest (`manifest.json` in the pack folder). */
export interface ModelManifest {
  formatVersion: 1
  /** sha256 over the converter sources and source package versions: unchanged -> no rebuild. */
  inputsHash: string
  builtAt: string
  models: ModelEntry[]
}

/** The result of one converter, before the pack builder writes and hashes it. */
export interface ConvertedModel {
  entry: Omit<ModelEntry, 'sha256' | 'bytes'>
  /** The file contents (ONNX model bytes or a packed vector table). */
  bytes: Uint8Array
}
