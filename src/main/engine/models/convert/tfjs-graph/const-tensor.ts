/**
 * Constant tensors known at conversion time (graph weights and folded values), in TF layout.
 */

/** Element types the converter tracks, named as in TF.js. */
export type TfDtype = 'float32' | 'int32' | 'bool'

/** A constant's values in TF (row-major, TF axis order) layout. */
export interface ConstTensor {
  dtype: TfDtype
  shape: number[]
  data: Float32Array | Int32Array | Uint8Array
}

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1)
}

/** Maps a TF `DT_*` type name to the converter's dtype. */
export function dtypeFromTf(type: string): TfDtype {
  switch (type) {
    case 'DT_FLOAT': return 'float32'
    case 'DT_INT32': return 'int32'
    case 'DT_BOOL': return 'bool'
    default: throw new Error(`unsupported TF dtype ${type}`)
  }
}

/** The values of a constant as plain numbers (for shapes, axes, sizes). */
export function constNumbers(t: ConstTensor): number[] {
  return Array.from(t.data as ArrayLike<number>)
}

/**
 * Transposes a constant: output axis `k` is input axis `perm[k]`.
 * Shapes of lower rank than `perm` are first left-padded with ones (TF broadcasting).
 */
export function transposeConst(t: ConstTensor, perm: number[]): ConstTensor {
  const shape = [...Array(Math.max(0, perm.length - t.shape.length)).fill(1), ...t.shape]
  const outShape = perm.map((p) => shape[p])
  const inStrides = stridesOf(shape)
  const outStrides = stridesOf(outShape)
  const n = sizeOf(shape)
  const out = new (t.data.constructor as { new (n: number): ConstTensor['data'] })(n)
  const idx = new Array<number>(perm.length).fill(0)
  for (let o = 0; o < n; o++) {
    let rem = o
    let src = 0
    for (let k = 0; k < perm.length; k++) {
      idx[k] = Math.floor(rem / outStrides[k])
      rem -= idx[k] * outStrides[k]
      src += idx[k] * inStrides[perm[k]]
    }
    out[o] = t.data[src]
  }
  return { dtype: t.dtype, shape: outShape, data: out }
}

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1)
  for (let k = shape.length - 2; k >= 0; k--) strides[k] = strides[k + 1] * shape[k + 1]
  return strides
}
