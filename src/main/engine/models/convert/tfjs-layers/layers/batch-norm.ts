/**
 * Keras BatchNormalization (inference form): y = (x - mean) / sqrt(var + eps) * gamma + beta.
 * Usually folded into the preceding convolution (see conv.ts); otherwise an ONNX
 * BatchNormalization over the channel axis.
 */
import { attr, f32 } from '../../../../onnx/graph-builder.js'
import type { ConvertContext } from '../context.js'
import { type KerasLayer, cfg } from '../keras-types.js'

/** Per-channel affine form of an inference batch norm: y = x * scale + shift (float64). */
export interface ChannelAffine {
  scale: Float64Array
  shift: Float64Array
}

/** Checks that a BatchNormalization normalizes the channel (last) axis of a tensor of `rank`. */
export function assertChannelAxis(layer: KerasLayer, rank: number): void {
  const axis = cfg<number | number[]>(layer, 'axis')
  const a = Array.isArray(axis) ? (axis.length === 1 ? axis[0] : Number.NaN) : axis
  if (a !== -1 && a !== rank - 1) throw new Error(`BatchNormalization ${layer.name}: axis ${JSON.stringify(axis)} is not the channel axis`)
}

/** Reads gamma/beta/moving stats of a BatchNormalization over `channels` channels. */
export function batchNormAffine(layer: KerasLayer, ctx: ConvertContext, channels: number): ChannelAffine {
  const shape = [channels]
  const eps = cfg<number>(layer, 'epsilon')
  const mean = ctx.weights.get(layer.name, 'moving_mean', shape).data
  const variance = ctx.weights.get(layer.name, 'moving_variance', shape).data
  const gamma = layer.config.scale === false ? null : ctx.weights.get(layer.name, 'gamma', shape).data
  const beta = layer.config.center === false ? null : ctx.weights.get(layer.name, 'beta', shape).data
  const scale = new Float64Array(channels)
  const shift = new Float64Array(channels)
  for (let c = 0; c < channels; c++) {
    scale[c] = (gamma ? gamma[c] : 1) / Math.sqrt(variance[c] + eps)
    shift[c] = (beta ? beta[c] : 0) - mean[c] * scale[c]
  }
  return { scale, shift }
}

/** A standalone BatchNormalization layer (not folded into a convolution). */
export function convertBatchNorm(layer: KerasLayer, ctx: ConvertContext): void {
  const x = ctx.input(layer)
  assertChannelAxis(layer, x.shape.length)
  const channels = x.shape[x.shape.length - 1]
  const shape = [channels]
  const w = (param: string, fallback: number): string => {
    const skip = (param === 'gamma' && layer.config.scale === false) || (param === 'beta' && layer.config.center === false)
    const data = skip ? new Float32Array(channels).fill(fallback) : ctx.weights.get(layer.name, param, shape).data
    return ctx.g.initializer(`${layer.name}/${param}`, f32(data, shape))
  }
  const inputs = [x.name, w('gamma', 1), w('beta', 0), w('moving_mean', 0), w('moving_variance', 1)]
  const name = ctx.emit(layer.name, 'BatchNormalization', inputs, { epsilon: attr.float(cfg<number>(layer, 'epsilon')) })
  ctx.set(layer.name, { name, shape: x.shape })
}
