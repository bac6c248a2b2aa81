/**
 * Filter layout changes from TF to ONNX, done once on the constant weights.
 */
import { type ConstTensor, transposeConst } from '../const-tensor.js'

/** TF Conv2D filter [kh, kw, in, out] -> ONNX Conv weight [out, in, kh, kw]. */
export function convFilterToOnnx(filter: ConstTensor): ConstTensor {
  if (filter.shape.length !== 4) throw new Error(`conv filter must be rank 4, got [${filter.shape.join(',')}]`)
  return transposeConst(filter, [3, 2, 0, 1])
}

/**
 * TF depthwise filter [kh, kw, in, multiplier] -> ONNX grouped Conv weight [in*multiplier, 1, kh, kw]
 * (group = in). TF output channel `c*multiplier + m` reads input channel `c` with filter `m`,
 * which is the same order as ONNX's groups.
 */
export function depthwiseFilterToOnnx(filter: ConstTensor): ConstTensor {
  if (filter.shape.length !== 4) throw new Error(`depthwise filter must be rank 4, got [${filter.shape.join(',')}]`)
  const [kh, kw, channels, multiplier] = filter.shape
  const t = transposeConst(filter, [2, 3, 0, 1]) // [in, mult, kh, kw]
  return { ...t, shape: [channels * multiplier, 1, kh, kw] }
}
