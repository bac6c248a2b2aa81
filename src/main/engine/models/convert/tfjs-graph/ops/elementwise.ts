/**
 * Elementwise ops. They are layout-agnostic: a binary op on 4-D activations stored as NCHW is
 * computed in NCHW (constants are written in NCHW order), otherwise in TF layout.
 */
import { attr } from '../../../../onnx/graph-builder.js'
import type { TfDtype } from '../const-tensor.js'
import { dtypeFromTf } from '../const-tensor.js'
import { onnxType } from '../context.js'
import { DataType } from '../../../../onnx/onnx-schema.js'
import { type Layout, type Value, broadcastShapes, isUnitShape } from '../layout.js'
import { type OpArgs, type Translator, input, outName } from '../translator.js'
import { type ActivationName, applyActivation } from './activation.js'

/** The layout a broadcasting op on `values` is computed in. */
export function elementwiseLayout(values: Value[], outShape: number[]): Layout {
  if (outShape.length !== 4) return 'tf'
  const inNchw = values.some((v) => !v.constant && v.shape.length === 4 && v.layout === 'nchw')
  const fits = values.every((v) => v.shape.length === 4 || v.constant !== undefined || isUnitShape(v.shape))
  return inNchw && fits ? 'nchw' : 'tf'
}

interface Binary {
  a: string
  b: string
  layout: Layout
  shape: number[]
  dtype: TfDtype
}

function binaryOperands(op: OpArgs): Binary {
  const x = input(op, 0)
  const y = input(op, 1)
  const shape = broadcastShapes(x.shape, y.shape)
  const layout = elementwiseLayout([x, y], shape)
  return { a: op.ctx.operand(x, layout), b: op.ctx.operand(y, layout), layout, shape, dtype: x.dtype }
}

/** A binary op that maps to one ONNX op (`dtype` overrides the output type, e.g. bool). */
export function binary(onnxOp: string, dtype?: TfDtype): Translator {
  return (op) => {
    const o = binaryOperands(op)
    const name = op.ctx.g.op(onnxOp, [o.a, o.b], {}, outName(op))
    return op.ctx.variable(name, o.shape, dtype ?? o.dtype, o.layout)
  }
}

/**
 * FloorDiv. Integers: ONNX Div truncates toward zero, so compute (a - floormod(a, b)) / b,
 * whose division is exact and therefore equal to floor(a / b) for every sign. Floats: Floor(a / b).
 */
export const floorDiv: Translator = (op) => {
  const { ctx } = op
  const o = binaryOperands(op)
  let name: string
  if (o.dtype === 'float32') {
    name = ctx.g.op('Floor', [ctx.g.op('Div', [o.a, o.b])], {}, outName(op))
  } else {
    const mod = ctx.g.op('Mod', [o.a, o.b], { fmod: attr.int(0) })
    name = ctx.g.op('Div', [ctx.g.op('Sub', [o.a, mod]), o.b], {}, outName(op))
  }
  return ctx.variable(name, o.shape, o.dtype, o.layout)
}

/**
 * FloorMod (result has the divisor's sign). Integers: ONNX Mod with fmod=0 has exactly these
 * semantics. Floats: a - floor(a / b) * b (ONNX Mod requires fmod=1 for floats, which truncates).
 */
export const floorMod: Translator = (op) => {
  const { ctx } = op
  const o = binaryOperands(op)
  let name: string
  if (o.dtype === 'float32') {
    const q = ctx.g.op('Floor', [ctx.g.op('Div', [o.a, o.b])])
    name = ctx.g.op('Sub', [o.a, ctx.g.op('Mul', [q, o.b])], {}, outName(op))
  } else {
    name = ctx.g.op('Mod', [o.a, o.b], { fmod: attr.int(0) }, outName(op))
  }
  return ctx.variable(name, o.shape, o.dtype, o.layout)
}

/** A unary op that keeps the layout of its input. */
export function unary(onnxOp: string): Translator {
  return (op) => {
    const x = input(op, 0)
    const name = op.ctx.g.op(onnxOp, [op.ctx.operand(x, x.layout)], {}, outName(op))
    return op.ctx.variable(name, x.shape.slice(), x.dtype, x.layout)
  }
}

/** A standalone activation op (Relu6 -> Clip, LeakyRelu with its alpha, ...). */
export function activation(name: ActivationName): Translator {
  return (op) => {
    const x = input(op, 0)
    const slope = name === 'Prelu' ? input(op, 1) : undefined
    const y = applyActivation(op.ctx, name, op.ctx.operand(x, x.layout), x.layout, outName(op), { alpha: op.attrs.float('alpha', 0.2), slope })
    return op.ctx.variable(y, x.shape.slice(), x.dtype, x.layout)
  }
}

/** Identity: the output is the input value itself (no ONNX node). */
export const identity: Translator = (op) => input(op, 0)

/** Cast to `DstT` (float -> int truncates toward zero in both TF and ONNX). */
export const cast: Translator = (op) => {
  const x = input(op, 0)
  const to = dtypeFromTf(op.attrs.type('DstT'))
  if (to === x.dtype) return x
  const name = op.ctx.g.op('Cast', [op.ctx.operand(x, x.layout)], { to: attr.int(DataType[onnxType(to)]) }, outName(op))
  return op.ctx.variable(name, x.shape.slice(), to, x.layout)
}
