/**
 * Spatial arithmetic of Keras/TensorFlow convolutions and pools: output sizes and the explicit,
 * possibly asymmetric pads that TensorFlow uses for 'same' padding (the extra pixel goes
 * after, i.e. bottom/right).
 */

/** Keras padding mode. */
export type PaddingMode = 'same' | 'valid'

/** Pads as [top, left, bottom, right] (the ONNX order for 2-D ops). */
export type Pads2D = [number, number, number, number]

/** TF's 'same' pads along one axis: [before, after]. */
export function samePads1D(inSize: number, kernel: number, stride: number, dilation = 1): [number, number] {
  const effective = (kernel - 1) * dilation + 1
  const out = Math.ceil(inSize / stride)
  const total = Math.max((out - 1) * stride + effective - inSize, 0)
  const before = Math.floor(total / 2)
  return [before, total - before]
}

/** Output size along one axis for a window op with explicit pads. */
export function windowOutSize(inSize: number, kernel: number, stride: number, dilation: number, padBefore: number, padAfter: number): number {
  const effective = (kernel - 1) * dilation + 1
  const out = Math.floor((inSize + padBefore + padAfter - effective) / stride) + 1
  if (out < 1) throw new Error(`window of ${effective} with stride ${stride} does not fit an input of ${inSize} (+${padBefore}+${padAfter})`)
  return out
}

/** Everything a 2-D window op needs: ONNX pads and the output height/width. */
export interface Window2D {
  pads: Pads2D
  outH: number
  outW: number
}

/**
 * Pads and output size of a 2-D window op over an [H, W] input.
 * `extraPads` is zero padding already pending on the input (from a ZeroPadding2D folded in);
 * it is only allowed with 'valid', where it simply becomes the op's pads.
 */
export function window2D(
  inHW: [number, number],
  kernel: [number, number],
  strides: [number, number],
  dilation: [number, number],
  padding: PaddingMode,
  extraPads: Pads2D = [0, 0, 0, 0],
): Window2D {
  let pads: Pads2D = [...extraPads]
  if (padding === 'same') {
    if (extraPads.some((p) => p !== 0)) throw new Error("pending zero padding cannot be merged into a 'same' window")
    const [t, b] = samePads1D(inHW[0], kernel[0], strides[0], dilation[0])
    const [l, r] = samePads1D(inHW[1], kernel[1], strides[1], dilation[1])
    pads = [t, l, b, r]
  } else if (padding !== 'valid') {
    throw new Error(`padding '${String(padding)}' is not supported`)
  }
  const inH = inHW[0] - extraPads[0] - extraPads[2]
  const inW = inHW[1] - extraPads[1] - extraPads[3]
  return {
    pads,
    outH: windowOutSize(inH, kernel[0], strides[0], dilation[0], pads[0], pads[2]),
    outW: windowOutSize(inW, kernel[1], strides[1], dilation[1], pads[1], pads[3]),
  }
}
