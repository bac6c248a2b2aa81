/**
 * Activations, shared by the standalone ops and by the `fused_ops` of TF.js fused convolutions.
 */
import { attr } from '../../../../onnx/graph-builder.js'
import type { ConversionContext } from '../context.js'
import type { Layout, Value } from '../layout.js'

/** Activation names as they appear in TF `fused_ops` and as standalone ops. */
export type ActivationName = 'Relu' | 'Relu6' | 'Elu' | 'Selu' | 'LeakyRelu' | 'Prelu' | 'Sigmoid' | 'Tanh'

/** Extra operands of an activation: LeakyRelu's alpha, Prelu's slope tensor. */
export interface ActivationParams {
  alpha?: number
  slope?: Value
}

/** Whether `name` is an activation this converter can fuse or translate. */
export function isActivation(name: string): name is ActivationName {
  return ['Relu', 'Relu6', 'Elu', 'Selu', 'LeakyRelu', 'Prelu', 'Sigmoid', 'Tanh'].includes(name)
}

/** Applies activation `name` to the float tensor `x` (stored in `layout`); returns the output name. */
export function applyActivation(ctx: ConversionContext, name: ActivationName, x: string, layout: Layout, out: string, params: ActivationParams = {}): string {
  const g = ctx.g
  switch (name) {
    case 'Relu6': return g.op('Clip', [x, ctx.scalar('float32', 0), ctx.scalar('float32', 6)], {}, out)
    case 'LeakyRelu': return g.op('LeakyRelu', [x], { alpha: attr.float(params.alpha ?? 0.2) }, out)
    case 'Prelu': {
      if (!params.slope) throw new Error('Prelu needs its slope tensor')
      return g.op('PRelu', [x, ctx.operand(params.slope, layout)], {}, out)
    }
    case 'Selu': return g.op('Selu', [x], { alpha: attr.float(1.6732632423543772), gamma: attr.float(1.0507009873554805) }, out)
    default: return g.op(name, [x], {}, out)
  }
}
