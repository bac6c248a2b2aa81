/**
 * The TF.js graph-model format (`model.json` with a GraphDef-like topology and a weights
 * manifest) and typed readers for node attributes.
 */

/** One attribute value as written by the TF.js converter (protobuf JSON of AttrValue). */
export interface TfAttrValue {
  s?: string
  i?: string | number
  f?: number
  b?: boolean
  type?: string
  shape?: unknown
  tensor?: unknown
  list?: { s?: string[]; i?: (string | number)[]; f?: number[]; b?: boolean[]; type?: string[] }
}

/** One node of the graph. Inputs are `name`, `name:k` (k-th output) or `^name` (control). */
export interface TfNode {
  name: string
  op: string
  input?: string[]
  attr?: Record<string, TfAttrValue>
}

/** One entry of the weights manifest. */
export interface TfWeightSpec {
  name: string
  shape: number[]
  /** 'float32', 'int32' or 'bool' (others are rejected when decoded). */
  dtype: string
  quantization?: { dtype: 'float16' | 'uint8' | 'uint16'; original_dtype?: string; scale?: number; min?: number }
}

/** A parsed `model.json` of format `graph-model`. */
export interface TfGraphModelJson {
  format?: string
  generatedBy?: string
  convertedBy?: string
  signature?: unknown
  modelTopology: { node: TfNode[]; library?: unknown; versions?: unknown }
  weightsManifest: { paths: string[]; weights: TfWeightSpec[] }[]
}

/** A reference from a node input: the producing node and which of its outputs. */
export interface TensorRef {
  node: string
  index: number
}

/** Parses `name`, `name:1`; returns null for control inputs (`^name`). */
export function parseInputRef(input: string): TensorRef | null {
  if (input.startsWith('^')) return null
  const m = /^(.*):(\d+)$/.exec(input)
  return m ? { node: m[1], index: Number(m[2]) } : { node: input, index: 0 }
}

/** The data inputs of a node (control inputs removed). */
export function dataInputs(node: TfNode): TensorRef[] {
  return (node.input ?? []).map(parseInputRef).filter((r): r is TensorRef => r !== null)
}

const decodeBase64 = (s: string): string => Buffer.from(s, 'base64').toString('utf8')

/** Typed attribute readers that name the node and attribute when a value is missing. */
export class NodeAttrs {
  constructor(private readonly node: TfNode) {}

  private get(key: string): TfAttrValue | undefined {
    return this.node.attr?.[key]
  }

  /** Whether the attribute is present. */
  has(key: string): boolean {
    return this.get(key) !== undefined
  }

  /** A string attribute (base64 in the JSON), or `fallback`. */
  string(key: string, fallback?: string): string {
    const v = this.get(key)?.s
    if (v !== undefined) return decodeBase64(v)
    if (fallback !== undefined) return fallback
    throw this.missing(key)
  }

  /** A list of strings (e.g. `fused_ops`), empty when absent. */
  strings(key: string): string[] {
    return (this.get(key)?.list?.s ?? []).map(decodeBase64)
  }

  /** An integer attribute, or `fallback`. */
  int(key: string, fallback?: number): number {
    const v = this.get(key)?.i
    if (v !== undefined) return Number(v)
    if (fallback !== undefined) return fallback
    throw this.missing(key)
  }

  /** A list of integers (strides, ksize, dilations), or `fallback` when absent. */
  ints(key: string, fallback?: number[]): number[] {
    const v = this.get(key)?.list?.i
    if (v !== undefined) return v.map(Number)
    if (fallback !== undefined) return fallback
    throw this.missing(key)
  }

  /** A float attribute, or `fallback`. */
  float(key: string, fallback?: number): number {
    const v = this.get(key)?.f
    if (v !== undefined) return Number(v)
    if (fallback !== undefined) return fallback
    throw this.missing(key)
  }

  /** A boolean attribute (absent = false, as in TF's defaults for these flags). */
  bool(key: string): boolean {
    return this.get(key)?.b === true
  }

  /** A dtype attribute such as `DT_FLOAT`, or `fallback`. */
  type(key: string, fallback?: string): string {
    const v = this.get(key)?.type
    if (v !== undefined) return v
    if (fallback !== undefined) return fallback
    throw this.missing(key)
  }

  private missing(key: string): Error {
    return new Error(`node ${this.node.name} (${this.node.op}): attribute "${key}" is missing`)
  }
}
