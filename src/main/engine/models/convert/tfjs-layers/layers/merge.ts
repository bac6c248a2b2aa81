/**
 * Keras merge layers: Concatenate (channels-last axis remapped to NCHW), Add, Multiply.
 */
import { attr } from '../../../../onnx/graph-builder.js'
import { type ConvertContext, onnxAxis } from '../context.js'
import type { KerasLayer } from '../keras-types.js'

/** Converts a Concatenate layer. */
export function convertConcatenate(layer: KerasLayer, ctx: ConvertContext): void {
  const xs = ctx.inputs(layer)
  const rank = xs[0].shape.length
  const axisK = (layer.config.axis as number | undefined) ?? -1
  const a = axisK < 0 ? axisK + rank : axisK
  if (xs.some((x) => x.shape.length !== rank)) throw new Error(`Concatenate ${layer.name}: inputs of different rank`)
  const shape = [...xs[0].shape]
  shape[a] = xs.reduce((sum, x) => sum + x.shape[a], 0)
  for (const x of xs) {
    if (x.shape.some((d, k) => k !== a && d !== xs[0].shape[k])) throw new Error(`Concatenate ${layer.name}: input shapes [${x.shape.join(',')}] and [${xs[0].shape.join(',')}] differ off axis ${a}`)
  }
  const name = ctx.emit(layer.name, 'Concat', xs.map((x) => x.name), { axis: attr.int(onnxAxis(a, rank)) })
  ctx.set(layer.name, { name, shape })
}

/** Converts an elementwise merge (Add, Multiply) of equally shaped inputs. */
export function convertElementwise(layer: KerasLayer, ctx: ConvertContext): void {
  const xs = ctx.inputs(layer)
  const op = layer.class_name === 'Add' ? 'Add' : layer.class_name === 'Multiply' ? 'Mul' : null
  if (!op) throw new Error(`merge layer ${layer.class_name} is not supported`)
  const s0 = xs[0].shape.join(',')
  if (xs.some((x) => x.shape.join(',') !== s0)) throw new Error(`${layer.class_name} ${layer.name}: inputs differ in shape`)
  let acc = xs[0].name
  for (let k = 1; k < xs.length; k++) acc = ctx.emit(layer.name, op, [acc, xs[k].name], {}, k === xs.length - 1 ? '' : `/${k}`)
  ctx.set(layer.name, { name: acc, shape: xs[0].shape })
}
