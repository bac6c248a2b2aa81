/**
 * Keras ZeroPadding2D. When its only reader is a 'valid' convolution the padding is left
 * pending and becomes that Conv's pads (no Pad node); otherwise an ONNX Pad is emitted on demand.
 */
import type { ConvertContext } from '../context.js'
import { type KerasLayer, cfg } from '../keras-types.js'
import type { Pads2D } from '../spatial.js'

/** Keras padding config (int, [h, w] or [[top, bottom], [left, right]]) as [top, left, bottom, right]. */
export function zeroPadding2D(padding: number | number[] | number[][]): Pads2D {
  if (typeof padding === 'number') return [padding, padding, padding, padding]
  const [ph, pw] = padding
  const [t, b] = typeof ph === 'number' ? [ph, ph] : ph
  const [l, r] = typeof pw === 'number' ? [pw, pw] : pw
  return [t, l, b, r]
}

/** Converts a ZeroPadding2D layer (channels_last). */
export function convertZeroPadding2D(layer: KerasLayer, ctx: ConvertContext): void {
  const x = ctx.input(layer)
  if (x.shape.length !== 4) throw new Error(`ZeroPadding2D ${layer.name}: input must be rank 4`)
  const pads = zeroPadding2D(cfg<number | number[] | number[][]>(layer, 'padding'))
  const [n, h, w, c] = x.shape
  ctx.set(layer.name, { name: x.name, shape: [n, h + pads[0] + pads[2], w + pads[1] + pads[3], c], pendingPads: pads })
  const reader = ctx.soleConsumer(layer.name)
  const foldable = reader && (reader.class_name === 'Conv2D' || reader.class_name === 'DepthwiseConv2D') && reader.config.padding === 'valid'
  if (!foldable) ctx.tensor(layer.name)
}
