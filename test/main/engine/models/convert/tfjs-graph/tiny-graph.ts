/**
 * Small hand-built TF.js graph models for translator tests. The same graph is converted to ONNX
 * and run in onnxruntime-node, and run as it is by TF.js on the wasm backend: the reference.
 */
import * as ort from 'onnxruntime-node'
import type { ConstTensor } from '../../../../../../src/main/engine/models/convert/tfjs-graph/const-tensor.js'
import { type GraphOutputSpec, convertGraphModel } from '../../../../../../src/main/engine/models/convert/tfjs-graph/converter.js'
import type { TfAttrValue, TfNode } from '../../../../../../src/main/engine/models/convert/tfjs-graph/graph-model.js'
import type { LoadedGraphModel } from '../../../../../../src/main/engine/models/convert/tfjs-graph/weights.js'
import { initTfjsWasm, tf } from '../../../../../support/tfjs-wasm.js'

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64')

/** TF.js JSON attribute constructors. */
export const at = {
  s: (v: string): TfAttrValue => ({ s: b64(v) }),
  i: (v: number): TfAttrValue => ({ i: String(v) }),
  f: (v: number): TfAttrValue => ({ f: v }),
  b: (v: boolean): TfAttrValue => ({ b: v }),
  ints: (v: number[]): TfAttrValue => ({ list: { i: v.map(String) } }),
  strs: (v: string[]): TfAttrValue => ({ list: { s: v.map(b64) } }),
  type: (t: string): TfAttrValue => ({ type: t }),
}

type Dtype = 'float32' | 'int32'
const DT: Record<Dtype, string> = { float32: 'DT_FLOAT', int32: 'DT_INT32' }

/** An input fed to both engines. */
export interface Feed {
  data: Float32Array | Int32Array
  shape: number[]
  dtype: Dtype
}

/** A tiny graph: placeholders, constants (as weights) and op nodes. */
export class TinyGraph {
  readonly nodes: TfNode[] = []
  private readonly consts: { name: string; tensor: ConstTensor }[] = []

  placeholder(name: string, shape: number[], dtype: Dtype = 'float32'): string {
    this.nodes.push({ name, op: 'Placeholder', attr: { dtype: at.type(DT[dtype]), shape: { shape: { dim: shape.map((d) => ({ size: String(d) })) } } } })
    return name
  }

  const(name: string, values: ArrayLike<number>, shape: number[], dtype: Dtype = 'float32'): string {
    const data = dtype === 'float32' ? Float32Array.from(values) : Int32Array.from(values)
    this.consts.push({ name, tensor: { dtype, shape, data } })
    this.nodes.push({ name, op: 'Const', attr: { dtype: at.type(DT[dtype]), value: { tensor: { dtype: DT[dtype], tensorShape: {} } } } })
    return name
  }

  node(name: string, op: string, input: string[], attr: Record<string, TfAttrValue> = {}): string {
    this.nodes.push({ name, op, input, attr: { T: at.type('DT_FLOAT'), ...attr } })
    return name
  }

  /** The graph as the converter reads it. */
  loaded(): LoadedGraphModel {
    return {
      json: { format: 'graph-model', modelTopology: { node: this.nodes }, weightsManifest: [] },
      weights: new Map(this.consts.map((c) => [c.name, c.tensor])),
    }
  }

  /** Runs the graph in TF.js (wasm backend). */
  async runTfjs(feeds: Record<string, Feed>, outputs: string[]): Promise<Float32Array[]> {
    await initTfjsWasm()
    const weightSpecs = this.consts.map((c) => ({ name: c.name, shape: c.tensor.shape, dtype: c.tensor.dtype as Dtype }))
    const bytes = Buffer.concat(this.consts.map((c) => Buffer.from(c.tensor.data.buffer, c.tensor.data.byteOffset, c.tensor.data.byteLength)))
    const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
    const model = await tf.loadGraphModel(tf.io.fromMemory({ modelTopology: { node: this.nodes, library: {}, versions: {} }, weightSpecs, weightData, format: 'graph-model' }))
    const inputs: Record<string, tf.Tensor> = {}
    for (const [name, f] of Object.entries(feeds)) inputs[name] = tf.tensor(f.data, f.shape, f.dtype)
    const raw = model.execute(inputs, outputs)
    const outs = Array.isArray(raw) ? raw : [raw]
    const result = outs.map((t) => Float32Array.from(t.dataSync() as ArrayLike<number>))
    tf.dispose([...outs, ...Object.values(inputs)])
    model.dispose()
    return result
  }

  /** Converts the graph (TF layout for every output) and runs it in onnxruntime-node. */
  async runOnnx(feeds: Record<string, Feed>, outputs: string[]): Promise<{ values: Float32Array[]; shapes: number[][] }> {
    const specs: GraphOutputSpec[] = outputs.map((tfName, k) => ({ tfName, onnxName: `out${k}`, layout: 'NHWC' }))
    const converted = convertGraphModel(this.loaded(), {
      graphName: 'tiny',
      inputs: Object.keys(feeds).map((name) => ({ tfName: name, onnxName: name.replace(/\W/g, '_') })),
      outputs: specs,
    })
    const session = await ort.InferenceSession.create(converted.bytes)
    const ortFeeds: Record<string, ort.Tensor> = {}
    for (const [name, f] of Object.entries(feeds)) ortFeeds[name.replace(/\W/g, '_')] = new ort.Tensor(f.dtype, f.data, f.shape)
    const out = await session.run(ortFeeds)
    await session.release()
    return {
      values: specs.map((s) => Float32Array.from(out[s.onnxName].data as ArrayLike<number>)),
      shapes: specs.map((s) => [...out[s.onnxName].dims]),
    }
  }
}

/** Largest absolute difference of two equally long arrays (Infinity if lengths differ). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY
  let m = 0
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k] - b[k]))
  return m
}

/** Deterministic pseudo-random values in [lo, hi) (a small LCG, so tests are reproducible). */
export function seeded(n: number, seed = 1, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return lo + ((s >>> 8) / 2 ** 24) * (hi - lo)
  })
}
