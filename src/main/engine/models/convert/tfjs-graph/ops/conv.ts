/**
 * Convolutions: Conv2D, DepthwiseConv2dNative and the TF.js fused forms (_FusedConv2D,
 * FusedDepthwiseConv2dNative with BiasAdd + activation), written as NCHW ONNX Conv.
 */
import { attr } from '../../../../onnx/graph-builder.js'
import { type ConstTensor } from '../const-tensor.js'
import { onnxType } from '../context.js'
import type { Value } from '../layout.js'
import { spatialPadding } from '../padding.js'
import { type OpArgs, type Translator, input, outName } from '../translator.js'
import { type ActivationName, applyActivation, isActivation } from './activation.js'
import { convFilterToOnnx, depthwiseFilterToOnnx } from './conv-weights.js'

function convolution(op: OpArgs, depthwise: boolean): Value {
  const { node, attrs, ctx } = op
  const format = attrs.string('data_format', 'NHWC')
  if (format !== 'NHWC') throw new Error(`node ${node.name}: data_format ${format} is not supported`)
  const x = input(op, 0)
  const filter = ctx.constantOf(input(op, 1), `node ${node.name}: the filter`)
  if (x.shape.length !== 4) throw new Error(`node ${node.name}: input must be rank 4`)
  const [n, h, w, inC] = x.shape
  const [kh, kw] = filter.shape
  const strides = attrs.ints('strides', [1, 1, 1, 1])
  const dilations = attrs.ints('dilations', [1, 1, 1, 1])
  if (strides[0] !== 1 || strides[3] !== 1) throw new Error(`node ${node.name}: strides over batch/channels are not supported`)
  const { pads, outHW } = spatialPadding(attrs.string('padding'), [h, w], [kh, kw], [strides[1], strides[2]], [dilations[1], dilations[2]], attrs.ints('explicit_paddings', []))
  const weight: ConstTensor = depthwise ? depthwiseFilterToOnnx(filter) : convFilterToOnnx(filter)
  const outC = weight.shape[0]
  if (!depthwise && filter.shape[2] !== inC) throw new Error(`node ${node.name}: filter expects ${filter.shape[2]} input channels, input has ${inC}`)

  const fused = node.op.startsWith('_Fused') || node.op.startsWith('Fused') ? attrs.strings('fused_ops') : []
  const ops = [...fused]
  const inputs = [ctx.nchw(x), ctx.g.initializer(`${node.name}/weight`, { type: onnxType('float32'), dims: weight.shape, data: weight.data })]
  if (ops[0] === 'BiasAdd') {
    ops.shift()
    const bias = ctx.constantOf(input(op, 2), `node ${node.name}: the bias`)
    inputs.push(ctx.g.initializer(`${node.name}/bias`, { type: 'FLOAT', dims: [outC], data: bias.data }))
  } else if (ops.length && !isActivation(ops[0])) {
    throw new Error(`node ${node.name}: fused op ${ops[0]} is not supported`)
  }
  if (ops.length > 1) throw new Error(`node ${node.name}: fused ops [${fused.join(', ')}] are not supported`)

  const convAttrs = {
    kernel_shape: attr.ints([kh, kw]),
    strides: attr.ints([strides[1], strides[2]]),
    dilations: attr.ints([dilations[1], dilations[2]]),
    pads: attr.ints(pads),
    group: attr.int(depthwise ? inC : 1),
  }
  const convOut = outName(op, ops.length ? '/conv' : '')
  let y = ctx.g.op('Conv', inputs, convAttrs, convOut)
  if (ops.length) {
    const activation = ops[0] as ActivationName
    const slope = activation === 'Prelu' ? input(op, 3) : undefined
    y = applyActivation(ctx, activation, y, 'nchw', outName(op), { alpha: attrs.float('leakyrelu_alpha', 0.2), slope })
  }
  return ctx.variable(y, [n, outHW[0], outHW[1], outC], 'float32', 'nchw')
}

/** Conv2D and _FusedConv2D. */
export const conv2d: Translator = (op) => convolution(op, false)
/** DepthwiseConv2dNative and FusedDepthwiseConv2dNative. */
export const depthwiseConv2d: Translator = (op) => convolution(op, true)
