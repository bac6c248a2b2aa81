/**
 * The salgl head's forward pass on typed arrays (float64 sums), for one photo: the reference the
 * TensorFlow.js training forward pass is tested against, and what `constella eval --head DIR` and
 * held-out scoring run. SALGL eq. 5 (scenes), 12 (photo graph), 13-14 (T gated message-passing
 * steps over the label nodes), 15-16 (prediction); the parameters are described in `salgl-params.ts`.
 */
import { photoGraph } from './cooccurrence.js'
import { salglTensor, type SalglParams } from './salgl-params.js'
import { standardFeature } from './scene-start.js'

/** Everything the forward pass computes for one photo. */
export interface SalglOutput {
  /** Scene probabilities pi (K). */
  pi: Float32Array
  /** P^I (C x C, row-major). */
  graph: Float32Array
  /** h^0 and h^T (C x d, row-major). */
  start: Float32Array
  final: Float32Array
  logits: Float32Array
  /** sigmoid(logits): the refined label scores. */
  scores: Float32Array
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x))

/** logit(clamp(e, c, 1 - c)). */
export function evidenceLogit(e: number, clamp: number): number {
  const p = Math.min(Math.max(e, clamp), 1 - clamp)
  return Math.log(p / (1 - p))
}

/** Scene probabilities of a context feature v (eq. 5); [1] when K = 1. */
export function sceneProbabilities(p: SalglParams, photoFeature: ArrayLike<number>): Float32Array {
  const { scenes: K, featureDim: F } = p.header
  if (K === 1) return Float32Array.of(1)
  const v = standardFeature(photoFeature, salglTensor(p, 'scene.mean'), salglTensor(p, 'scene.scale'))
  const W = salglTensor(p, 'scene.weight')
  const b = salglTensor(p, 'scene.bias')
  const s = Array.from({ length: K }, (_, k) => {
    let acc = b[k]
    for (let f = 0; f < F; f++) acc += W[k * F + f] * v[f]
    return acc
  })
  const top = Math.max(...s)
  const ex = s.map((x) => Math.exp(x - top))
  const sum = ex.reduce((a, c) => a + c, 0)
  return Float32Array.from(ex, (x) => x / sum)
}

/** y = W x + b for W [rows x cols] row-major, reading x at `xAt`. */
function affine(W: Float32Array, rows: number, cols: number, x: ArrayLike<number>, xAt = 0, out: Float64Array = new Float64Array(rows)): Float64Array {
  for (let r = 0; r < rows; r++) {
    let acc = out[r]
    for (let c = 0; c < cols; c++) acc += W[r * cols + c] * x[xAt + c]
    out[r] = acc
  }
  return out
}

/** The forward pass of one photo from its context feature F_0 and its class evidence e. */
export function salglForward(p: SalglParams, photoFeature: ArrayLike<number>, photoEvidence: ArrayLike<number>): SalglOutput {
  const h = p.header
  const C = h.classNames.length
  const d = h.nodeDim
  const G = h.wordDim
  const t = (name: string) => salglTensor(p, name)
  const pi = sceneProbabilities(p, photoFeature)
  const graph = photoGraph(pi, t('scene.cooccurrence'), C)
  const words = t('classWords')
  const start = new Float32Array(C * d)
  for (let i = 0; i < C; i++) {
    const A = affine(t('node.wordEvidence'), d, G, words, i * G)
    const B = affine(t('node.word'), d, G, words, i * G)
    const ae = t('node.evidence')
    const b0 = t('node.bias')
    for (let a = 0; a < d; a++) start[i * d + a] = Math.tanh(photoEvidence[i] * (A[a] + ae[a]) + B[a] + b0[a])
  }
  let state = start.slice()
  for (let step = 0; step < h.steps; step++) {
    const next = new Float32Array(C * d)
    for (let i = 0; i < C; i++) {
      // eq. 13: m_i = sum_{j != i} P^I_ji h_j
      const m = new Float64Array(d)
      for (let j = 0; j < C; j++) {
        if (j === i) continue
        const w = graph[j * C + i]
        if (w !== 0) for (let a = 0; a < d; a++) m[a] += w * state[j * d + a]
      }
      const hi = state.subarray(i * d, (i + 1) * d)
      const gate = (g: string, x: ArrayLike<number>) => affine(t(`gru.${g}.state`), d, d, x, 0, affine(t(`gru.${g}.message`), d, d, m, 0, Float64Array.from(t(`gru.${g}.bias`))))
      const z = gate('z', hi).map(sigmoid)
      const r = gate('r', hi).map(sigmoid)
      const cand = gate('h', hi.map((v, a) => v * r[a])).map(Math.tanh)
      for (let a = 0; a < d; a++) next[i * d + a] = (1 - z[a]) * hi[a] + z[a] * cand[a]
    }
    state = next
  }
  const logits = new Float32Array(C)
  const scores = new Float32Array(C)
  const Wc = t('cls.weight')
  const bc = t('cls.bias')
  const se = t('cls.evidence')
  for (let i = 0; i < C; i++) {
    const joint = new Float32Array(2 * d)
    joint.set(start.subarray(i * d, (i + 1) * d), 0)
    joint.set(state.subarray(i * d, (i + 1) * d), d)
    const o = affine(t('out.weight'), d, 2 * d, joint, 0, Float64Array.from(t('out.bias'))).map(Math.tanh)
    let acc = bc[i] + se[i] * evidenceLogit(photoEvidence[i], h.clamp)
    for (let a = 0; a < d; a++) acc += Wc[i * d + a] * o[a]
    logits[i] = acc
    scores[i] = sigmoid(acc)
  }
  return { pi, graph, start, final: state, logits, scores }
}
