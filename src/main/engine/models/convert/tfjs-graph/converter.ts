/**
 * Converts a TF.js graph model to ONNX (opset 17): walks the nodes the requested outputs depend
 * on, in dependency order, and translates each op with the registry. 4-D activations stay NCHW
 * between layout-aware ops; see layout.ts.
 */
import { OnnxGraphBuilder } from '../../../onnx/graph-builder.js'
import { dtypeFromTf } from './const-tensor.js'
import { ConversionContext, onnxType } from './context.js'
import { NodeAttrs, type TfNode, dataInputs, parseInputRef } from './graph-model.js'
import { type Value, storedShape } from './layout.js'
import { TRANSLATORS } from './ops/registry.js'
import type { LoadedGraphModel } from './weights.js'

/** A graph input: the TF Placeholder and the ONNX input name (same shape and layout as TF). */
export interface GraphInputSpec {
  tfName: string
  onnxName: string
}

/** A requested output: a TF tensor (`node` or `node:k`) written as `onnxName` in `layout`. */
export interface GraphOutputSpec {
  tfName: string
  onnxName: string
  /** 'NHWC' (TF order, for any rank) or 'NCHW' (4-D tensors only). */
  layout: 'NHWC' | 'NCHW'
}

/** Options of one conversion. */
export interface ConvertOptions {
  graphName: string
  inputs: GraphInputSpec[]
  outputs: GraphOutputSpec[]
  docString?: string
  metadata?: Record<string, string>
}

/** A described ONNX tensor of the converted graph. */
export interface ConvertedTensor {
  name: string
  shape: number[]
  dtype: string
}

/** The encoded ONNX model and what it contains. */
export interface ConvertedGraph {
  bytes: Uint8Array
  inputs: ConvertedTensor[]
  outputs: ConvertedTensor[]
  /** How many TF nodes of each op were translated. */
  opCounts: Record<string, number>
  onnxNodeCount: number
}

/** Converts `model` to an ONNX graph with the given inputs and outputs. */
export function convertGraphModel(model: LoadedGraphModel, options: ConvertOptions): ConvertedGraph {
  const nodes = new Map<string, TfNode>(model.json.modelTopology.node.map((n) => [n.name, n]))
  const g = new OnnxGraphBuilder(options.graphName)
  const ctx = new ConversionContext(g)
  const values = new Map<string, Value[]>()
  const opCounts: Record<string, number> = {}
  const inputs: ConvertedTensor[] = []
  const inputNames = new Map(options.inputs.map((i) => [i.tfName, i.onnxName]))

  const translate = (node: TfNode): Value[] => {
    const attrs = new NodeAttrs(node)
    if (node.op === 'Const') {
      const tensor = model.weights.get(node.name)
      if (!tensor) throw new Error(`constant ${node.name} has no entry in the weights manifest`)
      return [ctx.constant(node.name, tensor)]
    }
    if (node.op === 'Placeholder') {
      const onnxName = inputNames.get(node.name)
      if (!onnxName) throw new Error(`the graph needs input ${node.name}, which is not mapped to an ONNX input`)
      const shape = placeholderShape(node)
      const dtype = dtypeFromTf(attrs.type('dtype'))
      g.input(onnxName, onnxType(dtype), shape)
      inputs.push({ name: onnxName, shape, dtype })
      return [ctx.variable(onnxName, shape, dtype)]
    }
    const translator = TRANSLATORS[node.op]
    if (!translator) throw new Error(`TF op ${node.op} (node ${node.name}) is not supported by the converter`)
    const ins = dataInputs(node).map((ref) => valueOf(ref.node, ref.index))
    opCounts[node.op] = (opCounts[node.op] ?? 0) + 1
    try {
      const out = translator({ node, attrs, inputs: ins, ctx })
      return Array.isArray(out) ? out : [out]
    } catch (err) {
      throw new Error(`converting node ${node.name} (${node.op}): ${(err as Error).message}`, { cause: err })
    }
  }

  // Depth-first in dependency order; `visiting` detects cycles.
  const visiting = new Set<string>()
  const valueOf = (nodeName: string, index: number): Value => {
    if (!values.has(nodeName)) {
      const node = nodes.get(nodeName)
      if (!node) throw new Error(`the graph has no node ${nodeName}`)
      if (visiting.has(nodeName)) throw new Error(`the graph has a cycle through ${nodeName}`)
      visiting.add(nodeName)
      values.set(nodeName, translate(node))
      visiting.delete(nodeName)
    }
    const v = values.get(nodeName)?.[index]
    if (!v) throw new Error(`node ${nodeName} has no output ${index}`)
    return v
  }

  // Resolve every output's tensor first, then give each its ONNX name: the producing tensor is
  // renamed when possible (no copy); an Identity is used for inputs, constants and shared tensors.
  const resolved = options.outputs.map((spec) => {
    const ref = parseInputRef(spec.tfName)
    if (!ref) throw new Error(`bad output name ${spec.tfName}`)
    const v = valueOf(ref.node, ref.index)
    const nchw = spec.layout === 'NCHW'
    return { spec, v, nchw, source: nchw ? ctx.nchw(v) : ctx.tf(v) }
  })
  const renamed = new Map<string, string>()
  const outputs = resolved.map(({ spec, v, nchw, source }): ConvertedTensor => {
    const current = renamed.get(source) ?? source
    if (renamed.has(source) || !g.renameTensor(source, spec.onnxName)) g.op('Identity', [current], {}, spec.onnxName)
    else renamed.set(source, spec.onnxName)
    const shape = nchw ? storedShape({ shape: v.shape, layout: 'nchw' }) : v.shape.slice()
    g.output(spec.onnxName, onnxType(v.dtype), shape)
    return { name: spec.onnxName, shape, dtype: v.dtype }
  })
  const bytes = g.encode({ opset: 17, producer: 'constella tfjs-graph converter', docString: options.docString, metadata: options.metadata })
  return { bytes, inputs, outputs, opCounts, onnxNodeCount: g.nodeCount }
}

function placeholderShape(node: TfNode): number[] {
  const raw = node.attr?.shape?.shape as { dim?: { size?: string | number }[] } | undefined
  const dims = (raw?.dim ?? []).map((d) => Number(d.size ?? -1))
  if (!raw || dims.some((d) => d < 0)) throw new Error(`input ${node.name} needs a fully static shape, got [${dims.join(',')}]`)
  return dims
}
