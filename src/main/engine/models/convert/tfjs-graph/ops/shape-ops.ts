/**
 * Ops whose meaning depends on TF axis order (Reshape, ExpandDims, Squeeze, StridedSlice):
 * their inputs are taken in TF layout, so an NCHW activation is transposed back first.
 */
import { type AttrValue, attr } from '../../../../onnx/graph-builder.js'
import { sizeOf } from '../const-tensor.js'
import { normaliseAxis } from '../layout.js'
import { type Translator, constInput, input, outName } from '../translator.js'

/** Reshape to a constant shape (-1 inferred; 0 is a real zero-size dimension, as in TF). */
export const reshape: Translator = (op) => {
  const { ctx, node } = op
  const x = input(op, 0)
  const target = constInput(op, 1)
  const known = target.filter((d) => d !== -1).reduce((a, b) => a * b, 1)
  const shape = target.map((d) => (d === -1 ? sizeOf(x.shape) / known : d))
  if (sizeOf(shape) !== sizeOf(x.shape) || shape.some((d) => !Number.isInteger(d))) {
    throw new Error(`node ${node.name}: cannot reshape [${x.shape.join(',')}] to [${target.join(',')}]`)
  }
  const allowZero: Record<string, AttrValue> = target.includes(0) ? { allowzero: attr.int(1) } : {}
  const name = ctx.g.op('Reshape', [ctx.tf(x), ctx.int64(`${node.name}/shape`, shape)], allowZero, outName(op))
  return ctx.variable(name, shape, x.dtype)
}

/** ExpandDims at a constant axis (negative counts from the end of the output). */
export const expandDims: Translator = (op) => {
  const { ctx, node } = op
  const x = input(op, 0)
  const axis = normaliseAxis(constInput(op, 1)[0], x.shape.length + 1)
  const shape = [...x.shape.slice(0, axis), 1, ...x.shape.slice(axis)]
  const name = ctx.g.op('Unsqueeze', [ctx.tf(x), ctx.int64(`${node.name}/axes`, [axis])], {}, outName(op))
  return ctx.variable(name, shape, x.dtype)
}

/** Squeeze the `squeeze_dims` axes (all size-1 axes when empty). */
export const squeeze: Translator = (op) => {
  const { ctx, node } = op
  const x = input(op, 0)
  const listed = op.attrs.ints('squeeze_dims', []).map((a) => normaliseAxis(a, x.shape.length))
  const axes = listed.length ? listed : x.shape.flatMap((d, k) => (d === 1 ? [k] : []))
  const shape = x.shape.filter((_, k) => !axes.includes(k))
  const name = ctx.g.op('Squeeze', [ctx.tf(x), ctx.int64(`${node.name}/axes`, axes)], {}, outName(op))
  return ctx.variable(name, shape, x.dtype)
}

/** One axis of a strided slice in ONNX Slice terms, plus the output length. */
interface SliceAxis {
  start: number
  end: number
  step: number
  length: number
}

/** Resolves one axis of a TF strided slice (masks applied, clamped as TF and ONNX both do). */
export function sliceAxis(dim: number, begin: number, end: number, step: number, beginMasked: boolean, endMasked: boolean, shrink: boolean): SliceAxis {
  if (step === 0) throw new Error('strided slice step must not be 0')
  if (shrink) {
    const start = begin < 0 ? begin + dim : begin
    if (start < 0 || start >= dim) throw new Error(`strided slice index ${begin} is out of range for size ${dim}`)
    return { start, end: start + 1, step: 1, length: 1 }
  }
  const clamp = (v: number): number => {
    const n = v < 0 ? v + dim : v
    return step > 0 ? Math.min(Math.max(n, 0), dim) : Math.min(Math.max(n, -1), dim - 1)
  }
  const s = beginMasked ? (step > 0 ? 0 : dim - 1) : clamp(begin)
  const e = endMasked ? (step > 0 ? dim : -1) : clamp(end)
  const length = Math.max(0, Math.ceil((e - s) / step))
  // ONNX reads a negative end as counted from the back, so "before index 0" is written -dim-1.
  return { start: s, end: e === -1 && step < 0 ? -dim - 1 : e, step, length }
}

/** StridedSlice with begin/end/shrink masks (ellipsis and new-axis masks are not supported). */
export const stridedSlice: Translator = (op) => {
  const { ctx, node, attrs } = op
  const x = input(op, 0)
  const [begin, end, strides] = [constInput(op, 1), constInput(op, 2), constInput(op, 3)]
  if (attrs.int('ellipsis_mask', 0) || attrs.int('new_axis_mask', 0)) {
    throw new Error(`node ${node.name}: StridedSlice ellipsis_mask / new_axis_mask are not supported`)
  }
  const bit = (mask: string, k: number): boolean => ((attrs.int(mask, 0) >> k) & 1) === 1
  const axes = x.shape.map((dim, k) =>
    k < begin.length
      ? sliceAxis(dim, begin[k], end[k], strides[k] ?? 1, bit('begin_mask', k), bit('end_mask', k), bit('shrink_axis_mask', k))
      : { start: 0, end: dim, step: 1, length: dim },
  )
  const base = node.name
  let name = ctx.g.op('Slice', [
    ctx.tf(x),
    ctx.int64(`${base}/starts`, axes.map((a) => a.start)),
    ctx.int64(`${base}/ends`, axes.map((a) => a.end)),
    ctx.int64(`${base}/axes`, axes.map((_, k) => k)),
    ctx.int64(`${base}/steps`, axes.map((a) => a.step)),
  ], {}, outName(op, '/slice'))
  const shrunk = axes.flatMap((_, k) => (k < begin.length && bit('shrink_axis_mask', k) ? [k] : []))
  if (shrunk.length) name = ctx.g.op('Squeeze', [name, ctx.int64(`${base}/squeeze`, shrunk)], {}, outName(op))
  const shape = axes.flatMap((a, k) => (shrunk.includes(k) ? [] : [a.length]))
  return ctx.variable(name, shape, x.dtype)
}
