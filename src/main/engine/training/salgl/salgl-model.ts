/**
 * The salgl head in TensorFlow.js over a batch of photos: what `salgl-reference.ts` computes for
 * one photo (eq. 5, 12-16), and the entropy regulariser of eq. 9-11. The per-scene co-occurrence
 * P^k is a constant of each epoch (counted from the training labels, eq. 7-8); gradients reach the
 * scene detector through pi in P^I = sum_k pi_k P^k (eq. 12) and through the entropy loss.
 */
import { tf } from '../tf-backend.js'
import type { SalglHeader } from './salgl-params.js'

/** A batch's inputs. */
export interface SalglBatch {
  /** [B, F] standardised context features (`standardFeature`). */
  features: tf.Tensor2D
  /** [B, C] class evidence e. */
  evidence: tf.Tensor2D
  /** [B, C] logit(clamp(e)). */
  evidenceLogit: tf.Tensor2D
}

/** The forward pass's outputs. */
export interface SalglForward {
  /** [B, K] scene probabilities. */
  pi: tf.Tensor2D
  /** [B, C, C] P^I. */
  graph: tf.Tensor3D
  /** [B, C] logits. */
  logits: tf.Tensor2D
}

/** x [B, C, n] times W^T (W [m, n]) -> [B, C, m]. */
function linear(x: tf.Tensor3D, W: tf.Tensor): tf.Tensor3D {
  const [B, C, n] = x.shape
  return tf.reshape(tf.matMul(tf.reshape(x, [B * C, n]), W, false, true), [B, C, W.shape[0]]) as tf.Tensor3D
}

/** The forward pass (call inside tf.tidy or a gradient function); `cooccurrence` is [K, C, C], `words` [C, G]. */
export function salglForwardTf(h: SalglHeader, vars: ReadonlyMap<string, tf.Tensor>, batch: SalglBatch, cooccurrence: tf.Tensor3D, words: tf.Tensor2D): SalglForward {
  const v = (name: string) => {
    const t = vars.get(name)
    if (!t) throw new Error(`salgl training: no tensor ${name}`)
    return t
  }
  const B = batch.evidence.shape[0]
  const C = h.classNames.length
  const K = h.scenes
  const pi = (K === 1 ? tf.ones([B, 1]) : tf.softmax(tf.add(tf.matMul(batch.features, v('scene.weight'), false, true), v('scene.bias')))) as tf.Tensor2D
  const graph = tf.reshape(tf.matMul(pi, tf.reshape(cooccurrence, [K, C * C])), [B, C, C]) as tf.Tensor3D
  const offDiagonal = tf.sub(1, tf.eye(C))
  const edges = tf.mul(graph, offDiagonal) as tf.Tensor3D
  const byEvidence = tf.add(tf.matMul(words, v('node.wordEvidence'), false, true), v('node.evidence'))
  const byWord = tf.add(tf.matMul(words, v('node.word'), false, true), v('node.bias'))
  const e3 = tf.expandDims(batch.evidence, 2)
  const start = tf.tanh(tf.add(tf.mul(e3, byEvidence), byWord)) as tf.Tensor3D
  let state = start
  for (let step = 0; step < h.steps; step++) {
    // eq. 13: m_i = sum_{j != i} P^I_ji h_j, i.e. (P^I)^T h without the diagonal
    const m = tf.matMul(edges, state, true, false) as tf.Tensor3D
    const gate = (g: string, x: tf.Tensor3D) => tf.add(tf.add(linear(m, v(`gru.${g}.message`)), linear(x, v(`gru.${g}.state`))), v(`gru.${g}.bias`))
    const z = tf.sigmoid(gate('z', state))
    const r = tf.sigmoid(gate('r', state))
    const cand = tf.tanh(gate('h', tf.mul(r, state) as tf.Tensor3D))
    state = tf.add(tf.mul(tf.sub(1, z), state), tf.mul(z, cand)) as tf.Tensor3D
  }
  const o = tf.tanh(tf.add(linear(tf.concat([start, state], 2) as tf.Tensor3D, v('out.weight')), v('out.bias')))
  const logits = tf.add(tf.add(tf.sum(tf.mul(o, v('cls.weight')), 2), v('cls.bias')), tf.mul(batch.evidenceLogit, v('cls.evidence'))) as tf.Tensor2D
  return { pi, graph, logits }
}

/** Eq. 9-11: sample entropy (sharp per photo) plus the batch term (balanced over the batch); 0 when K = 1. */
export function entropyLoss(pi: tf.Tensor2D, batchTerm = true): { total: tf.Scalar; sample: tf.Scalar; batch: tf.Scalar } {
  const K = pi.shape[1]
  const xlogx = (x: tf.Tensor) => tf.mul(x, tf.log(tf.add(x, 1e-12)))
  const sample = tf.neg(tf.mean(tf.sum(xlogx(pi), 1))) as tf.Scalar
  const batch = (batchTerm ? tf.add(tf.sum(xlogx(tf.mean(pi, 0))), Math.log(K)) : tf.scalar(0)) as tf.Scalar
  return { total: tf.add(sample, batch) as tf.Scalar, sample, batch }
}
