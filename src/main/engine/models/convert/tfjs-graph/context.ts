/**
 * The state of one conversion: the ONNX graph being built and the layout views of each value.
 * Translators ask for an input "in TF layout" or "in NCHW" and the context inserts (and caches)
 * the one Transpose needed, or writes a constant directly in the asked layout.
 */
import { OnnxGraphBuilder, i64 } from '../../../onnx/graph-builder.js'
import type { DataTypeName } from '../../../onnx/onnx-schema.js'
import { type ConstTensor, type TfDtype, transposeConst } from './const-tensor.js'
import { type Layout, NCHW_TO_NHWC, NHWC_TO_NCHW, type Value, isUnitShape } from './layout.js'

/** The ONNX element type of a converter dtype. */
export function onnxType(dtype: TfDtype): DataTypeName {
  return ({ float32: 'FLOAT', int32: 'INT32', bool: 'BOOL' } as const)[dtype]
}

/** Conversion state shared by all translators. */
export class ConversionContext {
  private readonly views = new WeakMap<Value, Partial<Record<Layout, string>>>()
  private readonly scalars = new Map<string, string>()

  constructor(readonly g: OnnxGraphBuilder) {}

  /** A value computed by an ONNX node (already materialised in `layout`). */
  variable(name: string, shape: number[], dtype: TfDtype, layout: Layout = 'tf'): Value {
    const v: Value = { name, shape, dtype, layout }
    this.views.set(v, { [layout]: name })
    return v
  }

  /** A constant value; an initializer is written only when a translator needs it as a tensor. */
  constant(name: string, tensor: ConstTensor): Value {
    return { name, shape: tensor.shape.slice(), dtype: tensor.dtype, layout: 'tf', constant: tensor }
  }

  /** The ONNX name holding `v` in TF axis order. */
  tf(v: Value): string {
    return this.view(v, 'tf')
  }

  /** The ONNX name holding the 4-D value `v` in NCHW order. */
  nchw(v: Value): string {
    if (v.shape.length !== 4) throw new Error(`a rank-${v.shape.length} tensor cannot be viewed as NCHW`)
    return this.view(v, 'nchw')
  }

  /**
   * `v` as an operand of a broadcasting elementwise op computed in `layout`: constants are
   * written in that layout; unit-shaped tensors are used as they are.
   */
  operand(v: Value, layout: Layout): string {
    if (layout === 'tf') return this.tf(v)
    if (v.shape.length === 4) return this.nchw(v)
    if (isUnitShape(v.shape)) return this.tf(v)
    if (v.constant) return this.view(v, 'nchw')
    throw new Error(`a rank-${v.shape.length} tensor cannot be broadcast against an NCHW tensor`)
  }

  /** The known values of a constant input, or an error naming the node and input. */
  constantOf(v: Value, what: string): ConstTensor {
    if (!v.constant) throw new Error(`${what} must be a constant (it is computed at run time)`)
    return v.constant
  }

  /** A scalar initializer of `dtype` (shared by all users). */
  scalar(dtype: TfDtype, value: number): string {
    const key = `${dtype}:${value}`
    let name = this.scalars.get(key)
    if (!name) {
      const data = dtype === 'float32' ? Float32Array.of(value) : dtype === 'int32' ? Int32Array.of(value) : Uint8Array.of(value)
      name = this.g.initializer(`const_${dtype}_${value}`, { type: onnxType(dtype), dims: [], data })
      this.scalars.set(key, name)
    }
    return name
  }

  /** An int64 initializer (shapes, axes, sizes). */
  int64(name: string, values: number[], dims: number[] = [values.length]): string {
    return this.g.initializer(name, i64(values, dims))
  }

  private view(v: Value, layout: Layout): string {
    let views = this.views.get(v)
    if (!views) this.views.set(v, (views = {}))
    const cached = views[layout]
    if (cached) return cached
    let name: string
    if (v.constant) {
      const t = layout === 'nchw' ? transposeConst(v.constant, NHWC_TO_NCHW) : v.constant
      name = this.g.initializer(layout === 'nchw' ? `${v.name}__nchw` : v.name, { type: onnxType(t.dtype), dims: t.shape, data: t.data })
    } else {
      const from = views[v.layout]
      if (!from) throw new Error(`value ${v.name} has no ${v.layout} view`)
      const perm = layout === 'nchw' ? NHWC_TO_NCHW : NCHW_TO_NHWC
      name = this.g.op('Transpose', [from], { perm: { kind: 'ints', value: perm } }, this.g.fresh(`${v.name}__${layout}`))
    }
    views[layout] = name
    return name
  }
}
