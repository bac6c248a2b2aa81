/**
 * Keras core layers: Dense, Flatten, Dropout (identity at inference), Rescaling.
 */
import { attr, f32, i64 } from '../../../../onnx/graph-builder.js'
import type { ConvertContext } from '../context.js'
import { type KerasLayer, cfg } from '../keras-types.js'
import { applyActivation } from './activation.js'

/** Dense on a [N, F] tensor: Gemm with the Keras [F, units] kernel, then the activation. */
export function convertDense(layer: KerasLayer, ctx: ConvertContext): void {
  const x = ctx.input(layer)
  if (x.shape.length !== 2) throw new Error(`Dense ${layer.name}: only rank-2 inputs are supported, got [${x.shape.join(',')}]`)
  const [n, features] = x.shape
  const units = cfg<number>(layer, 'units')
  const kernel = ctx.weights.get(layer.name, 'kernel', [features, units])
  const inputs = [x.name, ctx.g.initializer(`${layer.name}/kernel`, f32(kernel.data, [features, units]))]
  if (cfg<boolean>(layer, 'use_bias')) {
    inputs.push(ctx.g.initializer(`${layer.name}/bias`, f32(ctx.weights.get(layer.name, 'bias', [units]).data, [units])))
  }
  const y = ctx.emit(layer.name, 'Gemm', inputs, {}, '/gemm')
  const name = applyActivation(ctx, layer.name, y, (layer.config.activation as string | undefined) ?? 'linear', 2)
  ctx.set(layer.name, { name, shape: [n, units] })
}

/** Flatten in Keras (channels-last) order: NCHW values are transposed back to NHWC first unless H = W = 1. */
export function convertFlatten(layer: KerasLayer, ctx: ConvertContext): void {
  const x = ctx.input(layer)
  const [n, ...rest] = x.shape
  const features = rest.reduce((a, b) => a * b, 1)
  if (x.shape.length === 2) {
    ctx.set(layer.name, x)
    return
  }
  let src = x.name
  if (x.shape.length === 4 && x.shape[1] * x.shape[2] !== 1) {
    src = ctx.emit(layer.name, 'Transpose', [src], { perm: attr.ints([0, 2, 3, 1]) }, '/nhwc')
  }
  const name = ctx.emit(layer.name, 'Reshape', [src, ctx.g.initializer(`${layer.name}/shape`, i64([0, -1]))])
  ctx.set(layer.name, { name, shape: [n, features] })
}

/** Dropout and its variants: the identity at inference time. */
export function convertIdentity(layer: KerasLayer, ctx: ConvertContext): void {
  ctx.set(layer.name, ctx.input(layer))
}

/** Rescaling: x * scale + offset (scalar scale/offset only). */
export function convertRescaling(layer: KerasLayer, ctx: ConvertContext): void {
  const x = ctx.input(layer)
  const scale = cfg<number>(layer, 'scale')
  const offset = (layer.config.offset as number | undefined) ?? 0
  if (typeof scale !== 'number' || typeof offset !== 'number') throw new Error(`Rescaling ${layer.name}: only scalar scale/offset are supported`)
  let name = ctx.emit(layer.name, 'Mul', [x.name, ctx.g.initializer(`${layer.name}/scale`, f32([scale], []))], {}, '/scale')
  if (offset !== 0) name = ctx.emit(layer.name, 'Add', [name, ctx.g.initializer(`${layer.name}/offset`, f32([offset], []))])
  ctx.set(layer.name, { name, shape: x.shape })
}
