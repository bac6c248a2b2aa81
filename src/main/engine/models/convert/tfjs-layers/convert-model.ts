/**
 * Converts a functional Keras model (TF.js layers format) to ONNX. The one channels-last input is
 * transposed to NCHW once; the whole network then runs NCHW. Only the layers that the requested
 * outputs depend on are converted, and every weight of those layers must be used.
 */
import type { TensorSpec } from '../../manifest.js'
import { OnnxGraphBuilder, attr } from '../../../onnx/graph-builder.js'
import { ConvertContext, onnxShape } from './context.js'
import { type KerasLayer, type LayersModelArtifacts, inboundNames, modelConfigOf } from './keras-types.js'
import { LAYER_TRANSLATORS } from './layers/registry.js'
import { WeightStore } from './weights.js'

/** One requested graph output: an ONNX name for the output of a Keras layer. */
export interface OutputRequest {
  /** ONNX output name, e.g. "mixed5". */
  name: string
  /** Keras layer whose output it is. */
  layer: string
  description?: string
}

/** What to convert and how to name it. */
export interface ConvertOptions {
  graphName: string
  /** ONNX name of the (channels-last) image input. */
  inputName: string
  /** Fixed batch size of the input (the Keras batch dimension is null). */
  batch: number
  outputs: OutputRequest[]
  docString?: string
  metadata?: Record<string, string>
}

/** The encoded model and the specs of its inputs and outputs. */
export interface ConvertResult {
  bytes: Uint8Array
  inputs: TensorSpec[]
  outputs: TensorSpec[]
  /** Number of Keras layers converted / ONNX nodes written. */
  layerCount: number
  nodeCount: number
}

/** The layers `targets` depend on, in a topological order (inputs first). */
export function layersNeeded(layers: KerasLayer[], targets: string[]): KerasLayer[] {
  const byName = new Map(layers.map((l) => [l.name, l]))
  const order: KerasLayer[] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const visit = (name: string): void => {
    const layer = byName.get(name)
    if (!layer) throw new Error(`Keras layer ${name} does not exist (have ${layers.length} layers)`)
    if (state.get(name) === 'done') return
    if (state.get(name) === 'visiting') throw new Error(`Keras graph has a cycle through ${name}`)
    state.set(name, 'visiting')
    for (const src of inboundNames(layer)) visit(src)
    state.set(name, 'done')
    order.push(layer)
  }
  for (const t of targets) visit(t)
  return order
}

/** Converts a TF.js layers model to an ONNX model (opset 17) exposing the requested layer outputs. */
export function convertLayersModel(artifacts: LayersModelArtifacts, options: ConvertOptions): ConvertResult {
  const modelConfig = modelConfigOf(artifacts.modelTopology)
  if (!['Model', 'Functional'].includes(modelConfig.class_name)) {
    throw new Error(`model_config class ${modelConfig.class_name} is not supported (functional models only)`)
  }
  const layers = layersNeeded(modelConfig.config.layers, options.outputs.map((o) => o.layer))
  const weights = new WeightStore(artifacts.weightSpecs, artifacts.weightData)
  const g = new OnnxGraphBuilder(options.graphName)
  for (const o of options.outputs) {
    if (g.fresh(o.name) !== o.name) throw new Error(`output name ${o.name} is requested twice`)
  }
  const ctx = new ConvertContext(g, weights, layers, new Set(options.outputs.map((o) => o.layer)))
  const inputs: TensorSpec[] = []

  for (const layer of layers) {
    if (ctx.has(layer.name)) continue
    const dataFormat = layer.config.data_format
    if (dataFormat !== undefined && dataFormat !== 'channels_last') throw new Error(`layer ${layer.name}: data_format ${String(dataFormat)} is not supported`)
    if (layer.class_name === 'InputLayer') {
      if (inputs.length > 0) throw new Error('models with more than one input are not supported')
      const shape = [options.batch, ...(layer.config.batch_input_shape as (number | null)[]).slice(1)]
      if (shape.some((d) => typeof d !== 'number')) throw new Error(`input ${layer.name} has an unknown dimension: [${shape.join(',')}]`)
      const dims = shape as number[]
      inputs.push({ name: options.inputName, shape: dims, dtype: 'float32', description: `Keras ${layer.name}, channels-last` })
      const x = g.input(options.inputName, 'FLOAT', dims)
      const name = dims.length === 4 ? ctx.emit(layer.name, 'Transpose', [x], { perm: attr.ints([0, 3, 1, 2]) }, '/nchw') : x
      ctx.set(layer.name, { name, shape: dims })
      continue
    }
    const translate = LAYER_TRANSLATORS[layer.class_name]
    if (!translate) throw new Error(`Keras layer class ${layer.class_name} (layer ${layer.name}) is not supported`)
    translate(layer, ctx)
    if (!ctx.has(layer.name)) throw new Error(`translator for ${layer.class_name} did not produce ${layer.name}`)
  }

  const unused = weights.unused(layers.map((l) => l.name))
  if (unused.length > 0) throw new Error(`weights of converted layers were not used: ${unused.join(', ')}`)

  const outputs: TensorSpec[] = options.outputs.map((o) => {
    const rec = ctx.tensor(o.layer)
    const shape = onnxShape(rec.shape)
    g.op('Identity', [rec.name], {}, o.name)
    g.output(o.name, 'FLOAT', shape)
    return { name: o.name, shape, dtype: 'float32', description: o.description ?? `output of Keras layer ${o.layer}` }
  })
  const bytes = g.encode({ opset: 17, producer: 'constella-tfjs-layers', docString: options.docString, metadata: options.metadata })
  return { bytes, inputs, outputs, layerCount: layers.length, nodeCount: g.nodeCount }
}
