/**
 * A small typed builder for ONNX graphs, encoded with protobufjs (never by hand).
 * Used by the TF.js converters, by the embedding head and by tests that need small known graphs.
 */
import { AttributeType, DataType, type DataTypeName, onnxRoot } from './onnx-schema.js'

/** A typed attribute value; build with the `attr` helpers. */
export type AttrValue =
  | { kind: 'float'; value: number }
  | { kind: 'int'; value: number }
  | { kind: 'floats'; value: number[] }
  | { kind: 'ints'; value: number[] }
  | { kind: 'string'; value: string }
  | { kind: 'tensor'; value: TensorData }
  | { kind: 'graph'; value: OnnxGraphBuilder }

/** Attribute constructors: `attr.int(1)`, `attr.floats([0.5])`, ... */
export const attr = {
  float: (value: number): AttrValue => ({ kind: 'float', value }),
  int: (value: number): AttrValue => ({ kind: 'int', value }),
  floats: (value: number[]): AttrValue => ({ kind: 'floats', value }),
  ints: (value: number[]): AttrValue => ({ kind: 'ints', value }),
  string: (value: string): AttrValue => ({ kind: 'string', value }),
  tensor: (value: TensorData): AttrValue => ({ kind: 'tensor', value }),
  /** A subgraph (the body of Loop / If); it may read tensors of the enclosing graph by name. */
  graph: (value: OnnxGraphBuilder): AttrValue => ({ kind: 'graph', value }),
}

/** Tensor contents: a typed array with its ONNX element type and dims. */
export interface TensorData {
  type: DataTypeName
  dims: number[]
  data: Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | Int8Array | Uint16Array
}

/** Float32 tensor data. */
export const f32 = (data: ArrayLike<number>, dims: number[]): TensorData => ({
  type: 'FLOAT',
  dims,
  data: Float32Array.from(data),
})
/** Float64 tensor data. */
export const f64 = (data: ArrayLike<number>, dims: number[]): TensorData => ({
  type: 'DOUBLE',
  dims,
  data: Float64Array.from(data),
})
/** Int64 tensor data (ONNX shapes, axes, indices). */
export const i64 = (data: ArrayLike<number>, dims: number[] = [data.length]): TensorData => ({
  type: 'INT64',
  dims,
  data: BigInt64Array.from(Array.from(data, (v) => BigInt(v))),
})

/** A dimension: a fixed size or a symbolic name ("N"). */
export type Dim = number | string

interface NodeRecord {
  op_type: string
  input: string[]
  output: string[]
  name: string
  domain: string
  attribute: unknown[]
}

/** Builds one ONNX graph and encodes it as a ModelProto. */
export class OnnxGraphBuilder {
  private readonly nodes: NodeRecord[] = []
  private readonly initializers: unknown[] = []
  private readonly inputs: unknown[] = []
  private readonly outputs: unknown[] = []
  private readonly used = new Set<string>()
  private counter = 0

  /** `prefix` starts every generated tensor and node name (subgraphs use one so no name shadows the outer graph's). */
  constructor(readonly name: string, private readonly prefix = '') {}

  /** A name not used before in this graph, derived from `prefix`. */
  fresh(prefix: string): string {
    let candidate = prefix
    while (this.used.has(candidate)) candidate = `${prefix}__${++this.counter}`
    this.used.add(candidate)
    return candidate
  }

  /** Declares a graph input. */
  input(name: string, type: DataTypeName, shape: Dim[]): string {
    this.used.add(name)
    this.inputs.push(valueInfo(name, type, shape))
    return name
  }

  /** Declares a graph output (shape may use symbolic dims or be omitted entries as names). */
  output(name: string, type: DataTypeName, shape?: Dim[]): string {
    this.outputs.push(valueInfo(name, type, shape))
    return name
  }

  /** Adds a constant initializer and returns its (unique) name. */
  initializer(name: string, tensor: TensorData): string {
    const unique = this.fresh(name)
    this.initializers.push(tensorProto(unique, tensor))
    return unique
  }

  /** Adds a node; `outputs` is a list of names or a count of fresh names. Returns the output names. */
  node(opType: string, inputs: string[], outputs: string[] | number = 1, attrs: Record<string, AttrValue> = {}, name?: string): string[] {
    const outNames = typeof outputs === 'number'
      ? Array.from({ length: outputs }, (_, k) => this.fresh(`${this.prefix}${name ?? opType}_out${k}`))
      : outputs.map((o) => (this.used.add(o), o))
    this.nodes.push({
      op_type: opType,
      input: inputs,
      output: outNames,
      name: this.fresh(`${this.prefix}${name ?? opType}`),
      domain: '',
      attribute: Object.entries(attrs).map(([key, value]) => attributeProto(key, value)),
    })
    return outNames
  }

  /** Adds a single-output node and returns the output name. */
  op(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, outName?: string): string {
    return this.node(opType, inputs, outName ? [outName] : 1, attrs, outName)[0]
  }

  /**
   * Renames a tensor produced by a node, in that node and in every node that reads it (e.g. to
   * make an internal tensor a graph output without an Identity copy). Returns false, changing
   * nothing, when `from` is not a node output, is already a declared graph output, or `to` is
   * already used.
   */
  renameTensor(from: string, to: string): boolean {
    if (this.used.has(to) || !this.nodes.some((n) => n.output.includes(from))) return false
    if ((this.outputs as { name: string }[]).some((o) => o.name === from)) return false
    for (const n of this.nodes) {
      n.input = n.input.map((i) => (i === from ? to : i))
      n.output = n.output.map((o) => (o === from ? to : o))
    }
    this.used.add(to)
    return true
  }

  /** Number of nodes added so far. */
  get nodeCount(): number {
    return this.nodes.length
  }

  /** The GraphProto message of this graph (also the value of a subgraph attribute). */
  graphProto(): unknown {
    return { name: this.name, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs }
  }

  /** Encodes the model (opset 17 by default) with optional metadata. */
  encode(options: { opset?: number; producer?: string; docString?: string; metadata?: Record<string, string> } = {}): Uint8Array {
    const root = onnxRoot()
    const Model = root.lookupType('onnx.ModelProto')
    const message = {
      ir_version: 8,
      producer_name: options.producer ?? 'constella',
      producer_version: '0.1.0',
      doc_string: options.docString ?? '',
      opset_import: [{ domain: '', version: options.opset ?? 17 }],
      metadata_props: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
      graph: this.graphProto(),
    }
    const err = Model.verify(message)
    if (err) throw new Error(`ONNX model ${this.name} is malformed: ${err}`)
    return Model.encode(Model.fromObject(message)).finish()
  }
}

function valueInfo(name: string, type: DataTypeName, shape?: Dim[]): unknown {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: DataType[type],
        ...(shape ? { shape: { dim: shape.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) } } : {}),
      },
    },
  }
}

function tensorProto(name: string, t: TensorData): unknown {
  const expected = t.dims.reduce((a, b) => a * b, 1)
  if (t.data.length !== expected) {
    throw new Error(`tensor ${name}: ${t.data.length} values for dims [${t.dims.join(',')}] (expected ${expected})`)
  }
  const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength)
  return { name, dims: t.dims, data_type: DataType[t.type], raw_data: bytes.slice() }
}

function attributeProto(name: string, v: AttrValue): unknown {
  switch (v.kind) {
    case 'float': return { name, type: AttributeType.FLOAT, f: v.value }
    case 'int': return { name, type: AttributeType.INT, i: v.value }
    case 'floats': return { name, type: AttributeType.FLOATS, floats: v.value }
    case 'ints': return { name, type: AttributeType.INTS, ints: v.value }
    case 'string': return { name, type: AttributeType.STRING, s: new TextEncoder().encode(v.value) }
    case 'tensor': return { name, type: AttributeType.TENSOR, t: tensorProto(name, v.value) }
    case 'graph': return { name, type: AttributeType.GRAPH, g: v.value.graphProto() }
  }
}
