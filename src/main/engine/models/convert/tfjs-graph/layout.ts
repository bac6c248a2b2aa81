/**
 * Tensor layouts. TF graphs are NHWC; ONNX convolutions, pooling and resizing are NCHW. The
 * converter keeps every 4-D activation in whichever layout its producer wrote and converts only
 * where a consumer needs the other one, so a conv stack runs in NCHW without transpose pairs.
 */
import type { ConstTensor, TfDtype } from './const-tensor.js'

/** `tf`: the tensor's axes are in TF order. `nchw`: a TF NHWC 4-D tensor stored as NCHW. */
export type Layout = 'tf' | 'nchw'

/** Transpose permutation taking NHWC to NCHW. */
export const NHWC_TO_NCHW = [0, 3, 1, 2]
/** Transpose permutation taking NCHW to NHWC. */
export const NCHW_TO_NHWC = [0, 2, 3, 1]

/** One tensor of the converted graph. */
export interface Value {
  /**
   * ONNX tensor name holding the value in `layout`; for constants, the TF node name (an
   * initializer is written from it only when a translator needs the constant as a tensor).
   */
  name: string
  /** Shape in TF axis order (NHWC for 4-D activations), whatever the stored layout. */
  shape: number[]
  dtype: TfDtype
  layout: Layout
  /** Known values (TF layout) when the tensor is a constant. */
  constant?: ConstTensor
}

/** The NCHW position of TF NHWC axis `axis` (negative axes allowed). */
export function nchwAxis(axis: number): number {
  return NHWC_TO_NCHW.indexOf(normaliseAxis(axis, 4))
}

/** An axis in [0, rank) from a possibly negative TF axis. */
export function normaliseAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis
  if (a < 0 || a >= rank) throw new Error(`axis ${axis} is out of range for rank ${rank}`)
  return a
}

/** The shape as stored: NCHW order for `nchw` values. */
export function storedShape(v: Pick<Value, 'shape' | 'layout'>): number[] {
  return v.layout === 'nchw' ? NHWC_TO_NCHW.map((p) => v.shape[p]) : v.shape.slice()
}

/** Numpy/TF broadcasting of two shapes. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length)
  return Array.from({ length: rank }, (_, k) => {
    const da = a[a.length - rank + k] ?? 1
    const db = b[b.length - rank + k] ?? 1
    if (da !== db && da !== 1 && db !== 1) throw new Error(`shapes [${a.join(',')}] and [${b.join(',')}] do not broadcast`)
    return da === 1 ? db : da
  })
}

/** Whether every dimension is 1 (the value broadcasts the same in any layout). */
export function isUnitShape(shape: readonly number[]): boolean {
  return shape.every((d) => d === 1)
}
