/**
 * TF convolution / pooling padding as explicit ONNX pads. TF 'SAME' pads asymmetrically (the
 * extra pixel goes at the end), which ONNX `auto_pad=SAME_UPPER` would also do, but explicit
 * pads computed from the static shapes keep the model independent of that attribute.
 */

/** Pads and output size of one spatial axis. */
export interface AxisPadding {
  begin: number
  end: number
  out: number
}

/** Padding of one spatial axis for TF padding mode `padding` ('SAME' | 'VALID'). */
export function axisPadding(padding: string, size: number, kernel: number, stride: number, dilation = 1): AxisPadding {
  const effective = (kernel - 1) * dilation + 1
  if (padding === 'SAME') {
    const out = Math.ceil(size / stride)
    const total = Math.max((out - 1) * stride + effective - size, 0)
    const begin = Math.floor(total / 2)
    return { begin, end: total - begin, out }
  }
  if (padding === 'VALID') {
    return { begin: 0, end: 0, out: Math.floor((size - effective) / stride) + 1 }
  }
  throw new Error(`padding "${padding}" needs explicit pads`)
}

/** Explicit padding of one axis (TF 'EXPLICIT' mode). */
export function explicitAxisPadding(begin: number, end: number, size: number, kernel: number, stride: number, dilation = 1): AxisPadding {
  const effective = (kernel - 1) * dilation + 1
  return { begin, end, out: Math.floor((size + begin + end - effective) / stride) + 1 }
}

/** 2-D spatial padding for an NHWC op: ONNX `pads` [top, left, bottom, right] and output H, W. */
export function spatialPadding(
  padding: string,
  inHW: [number, number],
  kernelHW: [number, number],
  stridesHW: [number, number],
  dilationsHW: [number, number] = [1, 1],
  explicitNhwc: number[] = [],
): { pads: number[]; outHW: [number, number] } {
  const axes = [0, 1].map((k) =>
    padding === 'EXPLICIT'
      ? explicitAxisPadding(explicitNhwc[2 + 2 * k], explicitNhwc[3 + 2 * k], inHW[k], kernelHW[k], stridesHW[k], dilationsHW[k])
      : axisPadding(padding, inHW[k], kernelHW[k], stridesHW[k], dilationsHW[k]),
  )
  return { pads: [axes[0].begin, axes[1].begin, axes[0].end, axes[1].end], outHW: [axes[0].out, axes[1].out] }
}
