/**
 * The contract of a per-op translator: it receives the TF node, its typed attributes and its
 * input values, writes ONNX nodes through the context, and returns the node's output values.
 */
import { constNumbers } from './const-tensor.js'
import type { ConversionContext } from './context.js'
import type { NodeAttrs, TfNode } from './graph-model.js'
import type { Value } from './layout.js'

/** What a translator is given for one node. */
export interface OpArgs {
  node: TfNode
  attrs: NodeAttrs
  /** Data inputs in order (control inputs removed). */
  inputs: Value[]
  ctx: ConversionContext
}

/** Translates one TF op; returns its outputs (output k of the node is element k). */
export type Translator = (op: OpArgs) => Value | Value[]

/** A fresh ONNX name derived from the TF node name (so the ONNX graph reads like the TF one). */
export function outName(op: OpArgs, suffix = ''): string {
  return op.ctx.g.fresh(`${op.node.name}${suffix}`)
}

/** The input at `index`, or an error naming the node. */
export function input(op: OpArgs, index: number): Value {
  const v = op.inputs[index]
  if (!v) throw new Error(`node ${op.node.name} (${op.node.op}) has no input ${index}`)
  return v
}

/** The known values of input `index`, which must be a constant. */
export function constInput(op: OpArgs, index: number): number[] {
  return constNumbers(op.ctx.constantOf(input(op, index), `node ${op.node.name} (${op.node.op}) input ${index}`))
}
