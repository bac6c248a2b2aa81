/**
 * Keras Conv2D and DepthwiseConv2D as one ONNX Conv (NCHW, OIHW weights), with
 * - TF 'same' padding as explicit, possibly asymmetric pads,
 * - a ZeroPadding2D that only feeds this conv merged into its pads,
 * - a BatchNormalization that only reads this conv folded into its weights and bias.
 */
import { attr, f32 } from '../../../../onnx/graph-builder.js'
import type { ConvertContext, TensorRecord } from '../context.js'
import { type KerasLayer, cfg, inboundNames } from '../keras-types.js'
import { type PaddingMode, window2D } from '../spatial.js'
import { applyActivation } from './activation.js'
import { assertChannelAxis, batchNormAffine } from './batch-norm.js'

const pair = (v: number | number[]): [number, number] => (Array.isArray(v) ? [v[0], v[1] ?? v[0]] : [v, v])

/** Keras kernel [kh, kw, cinPerGroup, cout] -> ONNX [cout, cinPerGroup, kh, kw]. */
export function kerasKernelToOihw(k: Float32Array, kh: number, kw: number, cin: number, cout: number): Float32Array {
  const out = new Float32Array(k.length)
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      for (let c = 0; c < cin; c++) {
        const src = ((i * kw + j) * cin + c) * cout
        for (let o = 0; o < cout; o++) out[((o * cin + c) * kh + i) * kw + j] = k[src + o]
      }
    }
  }
  return out
}

/** Keras depthwise kernel [kh, kw, cin, mult] -> ONNX [cin * mult, 1, kh, kw] (channel c*mult+m). */
export function depthwiseKernelToOihw(k: Float32Array, kh: number, kw: number, cin: number, mult: number): Float32Array {
  // Output channel c*mult+m of TF's depthwise conv is exactly index (c, m) of the last two dims,
  // so the Keras kernel is a [kh, kw, 1, cin*mult] regular kernel with one input channel per group.
  return kerasKernelToOihw(k, kh, kw, 1, cin * mult)
}

/** Converts a Conv2D or DepthwiseConv2D layer. */
export function convertConv(layer: KerasLayer, ctx: ConvertContext): void {
  const depthwise = layer.class_name === 'DepthwiseConv2D'
  const [src] = inboundNames(layer)
  const padding = cfg<PaddingMode>(layer, 'padding')
  let x: TensorRecord = ctx.rawTensor(src)
  if (x.pendingPads && padding !== 'valid') x = ctx.tensor(src)
  if (x.shape.length !== 4) throw new Error(`${layer.class_name} ${layer.name}: input must be rank 4, got [${x.shape.join(',')}]`)
  const [n, h, w, cin] = x.shape
  const [kh, kw] = pair(cfg<number[]>(layer, 'kernel_size'))
  const strides = pair(cfg<number[]>(layer, 'strides'))
  const dilation = pair((layer.config.dilation_rate as number[] | undefined) ?? 1)
  const win = window2D([h, w], [kh, kw], strides, dilation, padding, x.pendingPads)

  let weights: Float32Array
  let cout: number
  let cinPerGroup: number
  if (depthwise) {
    const mult = cfg<number>(layer, 'depth_multiplier')
    const k = ctx.weights.get(layer.name, 'depthwise_kernel', [kh, kw, cin, mult])
    weights = depthwiseKernelToOihw(k.data, kh, kw, cin, mult)
    cout = cin * mult
    cinPerGroup = 1
  } else {
    cout = cfg<number>(layer, 'filters')
    const groups = (layer.config.groups as number | undefined) ?? 1
    cinPerGroup = cin / groups
    const k = ctx.weights.get(layer.name, 'kernel', [kh, kw, cinPerGroup, cout])
    weights = kerasKernelToOihw(k.data, kh, kw, cinPerGroup, cout)
  }
  const bias = new Float64Array(cout)
  if (cfg<boolean>(layer, 'use_bias')) {
    const b = ctx.weights.get(layer.name, 'bias', [cout]).data
    for (let o = 0; o < cout; o++) bias[o] = b[o]
  }

  const activation = (layer.config.activation as string | undefined) ?? 'linear'
  const next = ctx.soleConsumer(layer.name)
  const fold = activation === 'linear' && next?.class_name === 'BatchNormalization' ? next : undefined
  if (fold) {
    assertChannelAxis(fold, 4)
    const { scale, shift } = batchNormAffine(fold, ctx, cout)
    const per = weights.length / cout
    for (let o = 0; o < cout; o++) {
      for (let k = o * per; k < (o + 1) * per; k++) weights[k] *= scale[o]
      bias[o] = bias[o] * scale[o] + shift[o]
    }
  }

  const g = ctx.g
  const inputs = [x.name, g.initializer(`${layer.name}/W`, f32(weights, [cout, cinPerGroup, kh, kw]))]
  if (fold || bias.some((v) => v !== 0)) inputs.push(g.initializer(`${layer.name}/B`, f32(bias, [cout])))
  let y = ctx.emit(fold?.name ?? layer.name, 'Conv', inputs, {
    kernel_shape: attr.ints([kh, kw]),
    strides: attr.ints(strides),
    dilations: attr.ints(dilation),
    pads: attr.ints(win.pads),
    group: attr.int(cin / cinPerGroup),
  })
  y = applyActivation(ctx, layer.name, y, activation, 4)
  const rec: TensorRecord = { name: y, shape: [n, win.outH, win.outW, cout] }
  ctx.set(layer.name, rec)
  if (fold) ctx.set(fold.name, rec)
}
