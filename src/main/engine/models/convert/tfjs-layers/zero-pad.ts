/**
 * Explicit zero padding of an NCHW value, written as Concat with zero blocks rather than Pad.
 *
 * Why not Pad: onnxruntime's PadFusion (optimization level "basic" and up) moves a zero Pad into
 * the `pads` of a following MaxPool or AveragePool. Pooling pads are not zeros (MaxPool ignores
 * them like -inf; AveragePool with count_include_pad=0 leaves them out of the mean), so the fused
 * graph computes something else (checked on onnxruntime-node 1.30: Pad(0) -> MaxPool of an all
 * negative map returned the negative maxima instead of 0; see also onnxsim/onnxsim#290 for the
 * same fold in onnx-optimizer). Zero padding that feeds a convolution never gets here: it is
 * merged into the Conv's own pads, which do mean zeros.
 */
import { type OnnxGraphBuilder, attr, i64 } from '../../../onnx/graph-builder.js'
import type { Pads2D } from './spatial.js'

/**
 * Pads `value` (NCHW, `shape` = its [N, C, H, W]) with zeros: [top, left, bottom, right].
 * Returns the padded value's name.
 */
export function emitZeroPad(g: OnnxGraphBuilder, base: string, value: string, shape: number[], pads: Pads2D): string {
  const [n, c, h, w] = shape
  const [t, l, b, r] = pads
  const zeros = (dims: number[], tag: string): string =>
    g.op('ConstantOfShape', [g.initializer(`${base}/${tag}_shape`, i64(dims))], {}, g.fresh(`${base}/${tag}`))
  let out = value
  if (t > 0 || b > 0) {
    const parts = [...(t > 0 ? [zeros([n, c, t, w], 'top')] : []), out, ...(b > 0 ? [zeros([n, c, b, w], 'bottom')] : [])]
    out = g.op('Concat', parts, { axis: attr.int(2) }, g.fresh(`${base}/pad_h`))
  }
  const hp = h + t + b
  if (l > 0 || r > 0) {
    const parts = [...(l > 0 ? [zeros([n, c, hp, l], 'left')] : []), out, ...(r > 0 ? [zeros([n, c, hp, r], 'right')] : [])]
    out = g.op('Concat', parts, { axis: attr.int(3) }, g.fresh(`${base}/pad_w`))
  }
  return out
}
