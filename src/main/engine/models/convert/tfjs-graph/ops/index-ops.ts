/**
 * Index ops of detection post-processing: TopKV2 and GatherV2.
 */
import { DataType } from '../../../../onnx/onnx-schema.js'
import { attr } from '../../../../onnx/graph-builder.js'
import { normaliseAxis } from '../layout.js'
import { type Translator, constInput, input, outName } from '../translator.js'

/**
 * TopKV2 over the last axis: values, and int32 indices (TF's index type; ONNX TopK returns
 * int64). Both TF and onnxruntime return equal values lower index first.
 */
export const topK: Translator = (op) => {
  const { ctx, node, attrs } = op
  const x = input(op, 0)
  const k = constInput(op, 1)[0]
  const shape = [...x.shape.slice(0, -1), k]
  const [values, indices] = ctx.g.node('TopK', [ctx.tf(x), ctx.int64(`${node.name}/k`, [k])], [outName(op), outName(op, ':1/int64')], {
    axis: attr.int(-1),
    largest: attr.int(1),
    sorted: attr.int(attrs.has('sorted') && !attrs.bool('sorted') ? 0 : 1),
  })
  const index32 = ctx.g.op('Cast', [indices], { to: attr.int(DataType.INT32) }, outName(op, ':1'))
  return [ctx.variable(values, shape, x.dtype), ctx.variable(index32, shape.slice(), 'int32')]
}

/** GatherV2 with a constant axis and batch_dims = 0. */
export const gather: Translator = (op) => {
  const { ctx, node, attrs } = op
  const params = input(op, 0)
  const indices = input(op, 1)
  if (attrs.int('batch_dims', 0) !== 0) throw new Error(`node ${node.name}: GatherV2 batch_dims != 0 is not supported`)
  const axis = normaliseAxis(constInput(op, 2)[0], params.shape.length)
  const shape = [...params.shape.slice(0, axis), ...indices.shape, ...params.shape.slice(axis + 1)]
  const name = ctx.g.op('Gather', [ctx.tf(params), ctx.tf(indices)], { axis: attr.int(axis) }, outName(op))
  return ctx.variable(name, shape, params.dtype)
}
