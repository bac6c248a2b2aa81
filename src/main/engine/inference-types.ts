/**
 * The contract between pipeline stages and the inference engine. Stages prepare tensors and
 * decode outputs; the engine (one supervised process owning every ORT session) only runs models.
 */

/** Element types that cross the engine boundary. */
export type TensorType = 'float32' | 'int32' | 'int64' | 'uint8' | 'bool'

/** A plain tensor that can be structured-cloned between processes. */
export interface TensorPayload {
  type: TensorType
  dims: number[]
  data: Float32Array | Int32Array | BigInt64Array | Uint8Array
}

/** Named tensors, as fed to or fetched from a model. */
export type TensorMap = Record<string, TensorPayload>

/** Options of one inference request. */
export interface RunOptions {
  /** Cancels the request if it has not started running yet (running ORT calls cannot be interrupted). */
  signal?: AbortSignal
}

/** Anything that runs a model of the pack by name: the supervised engine, or an in-process runner in tests. */
export interface InferenceRunner {
  run(model: string, feeds: TensorMap, fetches?: string[], options?: RunOptions): Promise<TensorMap>
}

/** A float32 tensor payload. */
export function float32Tensor(data: Float32Array, dims: number[]): TensorPayload {
  return { type: 'float32', data, dims }
}
