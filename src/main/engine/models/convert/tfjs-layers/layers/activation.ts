/**
 * Keras activations: the `activation` option of Conv2D/Dense and the Activation and ReLU layers.
 */
import { attr, f32 } from '../../../../onnx/graph-builder.js'
import type { ConvertContext } from '../context.js'
import { type KerasLayer, cfg } from '../keras-types.js'

/**
 * Applies a named Keras activation to an ONNX value of a tensor of Keras rank `rank`;
 * returns the new value name (the same name for 'linear').
 */
export function applyActivation(ctx: ConvertContext, layerName: string, input: string, activation: string, rank: number): string {
  switch (activation) {
    case 'linear':
      return input
    case 'relu':
      return ctx.emit(layerName, 'Relu', [input], {}, '/relu')
    case 'relu6':
      return clip(ctx, layerName, input, 0, 6)
    case 'sigmoid':
      return ctx.emit(layerName, 'Sigmoid', [input], {}, '/sigmoid')
    case 'tanh':
      return ctx.emit(layerName, 'Tanh', [input], {}, '/tanh')
    case 'softplus':
      return ctx.emit(layerName, 'Softplus', [input], {}, '/softplus')
    case 'elu':
      return ctx.emit(layerName, 'Elu', [input], {}, '/elu')
    case 'softmax': {
      // Keras softmax runs over the last (channel) axis: axis 1 of an NCHW value.
      const axis = rank === 4 ? 1 : -1
      return ctx.emit(layerName, 'Softmax', [input], { axis: attr.int(axis) }, '/softmax')
    }
    default:
      throw new Error(`Keras activation '${activation}' (layer ${layerName}) is not supported`)
  }
}

/** Clip(min, max) with scalar bound inputs (opset >= 11 form). */
export function clip(ctx: ConvertContext, layerName: string, input: string, min: number, max: number): string {
  const lo = ctx.g.initializer(`${layerName}/clip_min`, f32([min], []))
  const hi = ctx.g.initializer(`${layerName}/clip_max`, f32([max], []))
  return ctx.emit(layerName, 'Clip', [input, lo, hi], {}, '/clip')
}

/** The Keras Activation layer. */
export function convertActivation(layer: KerasLayer, ctx: ConvertContext): void {
  const x = ctx.input(layer)
  const name = applyActivation(ctx, layer.name, x.name, cfg<string>(layer, 'activation'), x.shape.length)
  ctx.set(layer.name, { name, shape: x.shape })
}

/** The Keras ReLU layer: max(x, 0) with an optional cap (`max_value: 6` is ReLU6) and leak. */
export function convertReLU(layer: KerasLayer, ctx: ConvertContext): void {
  const x = ctx.input(layer)
  const maxValue = (layer.config.max_value as number | null | undefined) ?? null
  const slope = (layer.config.negative_slope as number | undefined) ?? 0
  const threshold = (layer.config.threshold as number | undefined) ?? 0
  if (threshold !== 0) throw new Error(`ReLU ${layer.name}: threshold ${threshold} is not supported`)
  let name: string
  if (slope === 0) {
    name = maxValue === null ? ctx.emit(layer.name, 'Relu', [x.name]) : clip(ctx, layer.name, x.name, 0, maxValue)
  } else {
    name = ctx.emit(layer.name, 'LeakyRelu', [x.name], { alpha: attr.float(slope) })
    if (maxValue !== null) {
      name = ctx.emit(layer.name, 'Min', [name, ctx.g.initializer(`${layer.name}/max_value`, f32([maxValue], []))], {}, '/cap')
    }
  }
  ctx.set(layer.name, { name, shape: x.shape })
}
