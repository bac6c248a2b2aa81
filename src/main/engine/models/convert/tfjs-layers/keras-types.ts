/**
 * The parts of a Keras (TF.js layers) model topology that the converter reads:
 * `modelTopology.model_config` of a TF.js `model.json`, and its weights manifest.
 */

/** One inbound tensor reference: [layer name, node index, tensor index, kwargs]. */
export type InboundRef = [string, number, number, Record<string, unknown>?]

/** One layer of a functional Keras model config. */
export interface KerasLayer {
  name: string
  class_name: string
  config: Record<string, unknown> & { name: string; trainable?: boolean }
  /** One entry per call of the layer; each entry lists the tensors it was called on. */
  inbound_nodes: InboundRef[][]
}

/** `model_config` of a functional Keras model (class_name "Model" or "Functional"). */
export interface KerasModelConfig {
  class_name: string
  config: {
    name: string
    layers: KerasLayer[]
    input_layers: [string, number, number][]
    output_layers: [string, number, number][]
  }
}

/**
 * The Keras JSON stored as `modelTopology` in a TF.js layers model: the Python converter wraps the
 * model config in `model_config`; `LayersModel.save()` in TF.js stores the model config itself.
 */
export type KerasModelTopology =
  | { keras_version?: string; backend?: string; model_config: KerasModelConfig; training_config?: unknown }
  | (KerasModelConfig & { keras_version?: string; backend?: string; model_config?: undefined })

/** The functional model config of a topology in either form. */
export function modelConfigOf(topology: KerasModelTopology): KerasModelConfig {
  return topology.model_config ?? (topology as KerasModelConfig)
}

/** How a weight is stored (TF.js weights manifest entry). */
export interface WeightSpec {
  name: string
  shape: number[]
  dtype: 'float32' | 'int32'
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; scale?: number; min?: number }
}

/** A TF.js layers model in memory: topology, weight specs and the concatenated weight bytes. */
export interface LayersModelArtifacts {
  modelTopology: KerasModelTopology
  weightSpecs: WeightSpec[]
  weightData: Uint8Array
}

/** Reads a typed config field, failing loudly when it is absent. */
export function cfg<T>(layer: KerasLayer, key: string): T {
  if (!(key in layer.config)) throw new Error(`Keras layer ${layer.name} (${layer.class_name}) has no config.${key}`)
  return layer.config[key] as T
}

/** Names of the layers a layer is called on (its single call; shared layers are not supported). */
export function inboundNames(layer: KerasLayer): string[] {
  if (layer.inbound_nodes.length === 0) return []
  if (layer.inbound_nodes.length > 1) {
    throw new Error(`Keras layer ${layer.name} is called ${layer.inbound_nodes.length} times (shared layers are not supported)`)
  }
  return layer.inbound_nodes[0].map((ref) => {
    if (ref[1] !== 0 || ref[2] !== 0) throw new Error(`Keras layer ${layer.name} reads output ${ref[1]}/${ref[2]} of ${ref[0]} (only single-output layers are supported)`)
    return ref[0]
  })
}
