/**
 * Keras MaxPooling2D, AveragePooling2D and the global pools, on NCHW values.
 * TF's 'same' average pooling divides by the number of real (unpadded) pixels in the window:
 * ONNX AveragePool with `count_include_pad = 0` and explicit pads does the same.
 */
import { attr, i64 } from '../../../../onnx/graph-builder.js'
import type { ConvertContext } from '../context.js'
import { type KerasLayer, cfg } from '../keras-types.js'
import { type PaddingMode, window2D } from '../spatial.js'

const pair = (v: number | number[]): [number, number] => (Array.isArray(v) ? [v[0], v[1] ?? v[0]] : [v, v])

/** Converts MaxPooling2D / AveragePooling2D. */
export function convertPool2D(layer: KerasLayer, ctx: ConvertContext): void {
  const x = ctx.input(layer)
  if (x.shape.length !== 4) throw new Error(`${layer.class_name} ${layer.name}: input must be rank 4`)
  const [n, h, w, c] = x.shape
  const kernel = pair(cfg<number[]>(layer, 'pool_size'))
  const strides = pair((layer.config.strides as number[] | null | undefined) ?? kernel)
  const win = window2D([h, w], kernel, strides, [1, 1], cfg<PaddingMode>(layer, 'padding'))
  const isMax = layer.class_name === 'MaxPooling2D'
  const attrs = {
    kernel_shape: attr.ints(kernel),
    strides: attr.ints(strides),
    pads: attr.ints(win.pads),
    ...(isMax ? {} : { count_include_pad: attr.int(0) }),
  }
  const name = ctx.emit(layer.name, isMax ? 'MaxPool' : 'AveragePool', [x.name], attrs)
  ctx.set(layer.name, { name, shape: [n, win.outH, win.outW, c] })
}

/** Converts GlobalAveragePooling2D / GlobalMaxPooling2D (keepdims false -> [N, C]). */
export function convertGlobalPool2D(layer: KerasLayer, ctx: ConvertContext): void {
  const x = ctx.input(layer)
  if (x.shape.length !== 4) throw new Error(`${layer.class_name} ${layer.name}: input must be rank 4`)
  const [n, , , c] = x.shape
  const op = layer.class_name === 'GlobalMaxPooling2D' ? 'GlobalMaxPool' : 'GlobalAveragePool'
  const pooled = ctx.emit(layer.name, op, [x.name], {}, layer.config.keepdims === true ? '' : '/nchw')
  if (layer.config.keepdims === true) {
    ctx.set(layer.name, { name: pooled, shape: [n, 1, 1, c] })
    return
  }
  const name = ctx.emit(layer.name, 'Reshape', [pooled, ctx.g.initializer(`${layer.name}/shape`, i64([0, -1]))])
  ctx.set(layer.name, { name, shape: [n, c] })
}
