/**
 * The SARL-GAT head as TensorFlow.js variables, and its training-time forward pass over a padded
 * batch. It computes what `head/graph-embed.ts` computes (checked against the ONNX graph built from
 * the exported parameters, test/main/engine/training): V' = sigma(W x + b) (eq. 2), per layer and
 * head z = W_G V', e_ij = LeakyReLU(a_src.z_i + a_dst.z_j) + log A_ij, alpha = softmax_j,
 * h' = act(sum_j alpha_ij z_j) (eq. 5-8), H = mean_i h'_i at unit length (eq. 9) and the
 * classifier logits W_cls H + b (eq. 10); with head format 2's evidence residual,
 * H = unit(mean_i h'_i + E unit(e_0)) and logits + V e_0. The OT adjacency A comes with the batch.
 */
import { CLASSIFIER_EVIDENCE, encodeHead, EVIDENCE_RESIDUAL, tensor, type HeadHeader, type HeadParams } from '../head/head-params.js'
import type { GraphBatch } from './graph-batch.js'
import { tf } from './tf-backend.js'

/** The trainable tensors, by their name in the head file. */
export type HeadVariables = Map<string, tf.Variable>

/** Names of the trained tensors of a head with `layers` GAT layers (the class words stay fixed). */
export function trainableNames(head: HeadParams, withProjection = false): string[] {
  const gat = Array.from({ length: head.header.layers }, (_, l) => [`gat${l}.weight`, `gat${l}.attnSrc`, `gat${l}.attnDst`]).flat()
  const optional = [EVIDENCE_RESIDUAL, CLASSIFIER_EVIDENCE].filter((name) => head.tensors.has(name))
  return ['node.weight', 'node.bias', ...(withProjection ? ['projection.weight'] : []), ...gat, ...optional, 'classifier.weight', 'classifier.bias']
}

/** Shape of a trained tensor as the forward pass uses it. */
export function tensorShape(h: HeadHeader, name: string): number[] {
  const width = h.heads * h.headDim
  if (name === 'node.weight') return [h.nodeDim, h.featureDim + h.wordDim]
  if (name === 'node.bias') return [h.nodeDim]
  if (name === 'projection.weight') return [h.wordDim, h.featureDim]
  if (name === 'classifier.weight') return [h.classNames.length, width]
  if (name === 'classifier.bias') return [h.classNames.length]
  if (name === EVIDENCE_RESIDUAL) return [width, h.classNames.length]
  if (name === CLASSIFIER_EVIDENCE) return [h.classNames.length, h.classNames.length]
  const layer = Number(/^gat(\d+)\./.exec(name)?.[1])
  if (name.endsWith('.weight')) return [width, layer === 0 ? h.nodeDim : width]
  return [h.heads, h.headDim]
}

let runs = 0

/** Variables initialised from `head`'s tensors (named "run<k>/<tensor name>", unique per call). */
export function headVariables(head: HeadParams, names: string[]): HeadVariables {
  const run = ++runs
  return new Map(names.map((name) => [name, tf.variable(tf.tensor(tensor(head, name), tensorShape(head.header, name)), true, `run${run}/${name}`)]))
}

/** The tensor name of a variable or of an optimizer slot of one ("run3/gat0.weight/m" -> "gat0.weight/m"). */
export function stripRun(name: string): string {
  return name.replace(/^run\d+\//, '')
}

/** The forward pass's outputs for a batch. */
export interface ForwardOutputs {
  /** [B, width] unit H. */
  embedding: tf.Tensor2D
  /** [B, N, width] node features after the last layer (not normalised). */
  nodes: tf.Tensor3D
  /** [B, C] classifier logits. */
  logits: tf.Tensor2D
}

function activate(x: tf.Tensor, kind: string): tf.Tensor {
  if (kind === 'elu') return tf.elu(x)
  if (kind === 'relu') return tf.relu(x)
  if (kind === 'sigmoid') return tf.sigmoid(x)
  if (kind === 'tanh') return tf.tanh(x)
  return x
}

/**
 * Rows at unit length along the last axis. Zero rows stay zero (as `l2normalize`), and so does
 * their gradient: the tiny term under the root keeps d|x|/dx finite at x = 0.
 */
export function unitRows<T extends tf.Tensor>(x: T): T {
  return tf.div(x, tf.sqrt(tf.add(tf.sum(tf.square(x), -1, true), 1e-20))) as T
}

/** The head's forward pass on a batch (call inside tf.tidy or a gradient function). */
export function forward(h: HeadHeader, vars: ReadonlyMap<string, tf.Tensor>, batch: GraphBatch): ForwardOutputs {
  const v = (name: string) => {
    const t = vars.get(name)
    if (!t) throw new Error(`training: no variable ${name}`)
    return t
  }
  const { size: B, maxNodes: N } = batch
  const width = h.heads * h.headDim
  const inDim = h.featureDim + h.wordDim
  const x2 = tf.reshape(batch.x, [B * N, inDim])
  let x = activate(tf.add(tf.matMul(x2, v('node.weight'), false, true), v('node.bias')), h.nodeActivation)
  for (let l = 0; l < h.layers; l++) {
    const z = tf.transpose(tf.reshape(tf.matMul(x, v(`gat${l}.weight`), false, true), [B, N, h.heads, h.headDim]), [0, 2, 1, 3])
    const src = tf.sum(tf.mul(z, tf.reshape(v(`gat${l}.attnSrc`), [1, h.heads, 1, h.headDim])), -1, true)
    const dst = tf.sum(tf.mul(z, tf.reshape(v(`gat${l}.attnDst`), [1, h.heads, 1, h.headDim])), -1, true)
    const e = tf.add(tf.leakyRelu(tf.add(src, tf.transpose(dst, [0, 1, 3, 2])), h.negativeSlope), batch.logA)
    const mixed = activate(tf.matMul(tf.softmax(e, -1), z), h.gatActivation)
    x = tf.reshape(tf.transpose(mixed, [0, 2, 1, 3]), [B * N, width])
  }
  const nodes = tf.reshape(x, [B, N, width]) as tf.Tensor3D
  let pooled = tf.div(tf.sum(tf.mul(nodes, batch.mask), 1), batch.counts)
  const residual = vars.get(EVIDENCE_RESIDUAL)
  if (residual) pooled = tf.add(pooled, tf.matMul(batch.evidence, residual, false, true))
  const embedding = unitRows(pooled) as tf.Tensor2D
  let logits = tf.add(tf.matMul(embedding, v('classifier.weight'), false, true), v('classifier.bias')) as tf.Tensor2D
  const direct = vars.get(CLASSIFIER_EVIDENCE)
  if (direct) logits = tf.add(logits, tf.matMul(batch.rawEvidence, direct, false, true))
  return { embedding, nodes, logits }
}

/** A head file with `base`'s header and fixed tensors and the variables' current values. */
export function exportHead(base: HeadParams, vars: HeadVariables, header: Partial<HeadHeader> = {}): Uint8Array {
  const { tensors: _t, ...rest } = base.header
  const merged = { ...rest, ...header }
  const out: Record<string, { shape: number[]; data: Float32Array }> = {}
  for (const entry of base.header.tensors) {
    const variable = vars.get(entry.name)
    out[entry.name] = { shape: entry.shape, data: variable ? (variable.dataSync() as Float32Array).slice() : tensor(base, entry.name) }
  }
  return encodeHead(merged, out)
}
