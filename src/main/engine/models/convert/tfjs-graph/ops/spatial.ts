/**
 * Layout-aware spatial ops computed in NCHW: Mean (over H, W), MaxPool / AvgPool,
 * ResizeBilinear and ConcatV2.
 */
import { attr } from '../../../../onnx/graph-builder.js'
import { NHWC_TO_NCHW, type Value, nchwAxis, normaliseAxis } from '../layout.js'
import { spatialPadding } from '../padding.js'
import { type OpArgs, type Translator, constInput, input, outName } from '../translator.js'

/** Mean over constant axes; GlobalAveragePool for the H, W mean of a 4-D tensor. */
export const mean: Translator = (op) => {
  const { ctx } = op
  const x = input(op, 0)
  const axes = [...new Set(constInput(op, 1).map((a) => normaliseAxis(a, x.shape.length)))].sort((a, b) => a - b)
  const keep = op.attrs.bool('keep_dims')
  const shape = keep ? x.shape.map((d, k) => (axes.includes(k) ? 1 : d)) : x.shape.filter((_, k) => !axes.includes(k))
  if (x.shape.length === 4 && x.layout === 'nchw' && keep && axes.join() === '1,2') {
    return ctx.variable(ctx.g.op('GlobalAveragePool', [ctx.nchw(x)], {}, outName(op)), shape, x.dtype, 'nchw')
  }
  // Without keep_dims, an NCHW reduction is usable only if the remaining axes stay in TF order
  // (e.g. removing H and W leaves N, C); other reductions run in TF layout.
  const left = NHWC_TO_NCHW.filter((a) => !axes.includes(a))
  const ordered = left.every((a, k) => k === 0 || left[k - 1] < a)
  const nchw = x.shape.length === 4 && x.layout === 'nchw' && (keep || ordered)
  const onnxAxes = nchw ? axes.map(nchwAxis) : axes
  const name = ctx.g.op('ReduceMean', [nchw ? ctx.nchw(x) : ctx.tf(x)], { axes: attr.ints(onnxAxes), keepdims: attr.int(keep ? 1 : 0) }, outName(op))
  return ctx.variable(name, shape, x.dtype, nchw && keep ? 'nchw' : 'tf')
}

function pool(onnxOp: 'MaxPool' | 'AveragePool'): Translator {
  return (op: OpArgs) => {
    const { ctx, attrs, node } = op
    const x = input(op, 0)
    if (attrs.string('data_format', 'NHWC') !== 'NHWC') throw new Error(`node ${node.name}: only NHWC pooling is supported`)
    const ksize = attrs.ints('ksize')
    const strides = attrs.ints('strides')
    if (ksize[0] !== 1 || ksize[3] !== 1 || strides[0] !== 1 || strides[3] !== 1) {
      throw new Error(`node ${node.name}: pooling over batch or channels is not supported`)
    }
    const [n, h, w, c] = x.shape
    const { pads, outHW } = spatialPadding(attrs.string('padding'), [h, w], [ksize[1], ksize[2]], [strides[1], strides[2]], [1, 1], attrs.ints('explicit_paddings', []))
    // MaxPool ignores padded cells (TF 'SAME' never takes the max over padding); TF's AvgPool
    // divides by the number of real cells, which is ONNX's count_include_pad = 0.
    const poolAttrs = {
      kernel_shape: attr.ints([ksize[1], ksize[2]]),
      strides: attr.ints([strides[1], strides[2]]),
      pads: attr.ints(pads),
      ...(onnxOp === 'AveragePool' ? { count_include_pad: attr.int(0) } : {}),
    }
    const name = ctx.g.op(onnxOp, [ctx.nchw(x)], poolAttrs, outName(op))
    return ctx.variable(name, [n, outHW[0], outHW[1], c], x.dtype, 'nchw')
  }
}

/** MaxPool (NHWC, 'SAME' or 'VALID'). */
export const maxPool = pool('MaxPool')
/** AvgPool (NHWC, 'SAME' or 'VALID'). */
export const avgPool = pool('AveragePool')

/**
 * The ONNX Resize coordinate_transformation_mode equal to TF's resize flags:
 * align_corners -> 'align_corners'; half_pixel_centers -> 'half_pixel' (TF clamps the
 * negative source coordinates of the first row, as ONNX does); neither -> 'asymmetric'.
 */
export function resizeCoordinateMode(alignCorners: boolean, halfPixelCenters: boolean): string {
  if (alignCorners && halfPixelCenters) throw new Error('align_corners and half_pixel_centers cannot both be set')
  return alignCorners ? 'align_corners' : halfPixelCenters ? 'half_pixel' : 'asymmetric'
}

/** ResizeBilinear to a constant size, honouring align_corners / half_pixel_centers. */
export const resizeBilinear: Translator = (op) => {
  const { ctx, attrs } = op
  const x = input(op, 0)
  const [outH, outW] = constInput(op, 1)
  const [n, , , c] = x.shape
  const sizes = ctx.int64(`${op.node.name}/sizes`, [n, c, outH, outW])
  const name = ctx.g.op('Resize', [ctx.nchw(x), '', '', sizes], {
    mode: attr.string('linear'),
    coordinate_transformation_mode: attr.string(resizeCoordinateMode(attrs.bool('align_corners'), attrs.bool('half_pixel_centers'))),
  }, outName(op))
  return ctx.variable(name, [n, outH, outW, c], x.dtype, 'nchw')
}

/** ConcatV2 (axis is the last input); 4-D inputs are concatenated in NCHW when any is NCHW. */
export const concat: Translator = (op) => {
  const { ctx } = op
  const parts: Value[] = op.inputs.slice(0, -1)
  const rank = parts[0].shape.length
  const axis = normaliseAxis(constInput(op, op.inputs.length - 1)[0], rank)
  const shape = parts[0].shape.slice()
  shape[axis] = parts.reduce((sum, v) => sum + v.shape[axis], 0)
  const nchw = rank === 4 && parts.some((v) => v.layout === 'nchw' && !v.constant)
  const names = parts.map((v) => (nchw ? ctx.nchw(v) : ctx.tf(v)))
  const name = ctx.g.op('Concat', names, { axis: attr.int(nchw ? nchwAxis(axis) : axis) }, outName(op))
  return ctx.variable(name, shape, parts[0].dtype, nchw ? 'nchw' : 'tf')
}
