/**
 * The untrained salgl head of a labelled set: the scene detector from the library-side scene model
 * trained on the training photos' context features (k-means start, entropy loss; `scene-start.ts`), P^k counted from the training labels under that
 * assignment, seeded Glorot-uniform node, GRU and output weights, and a classifier that starts as
 * the detector (w_i = 0, b_i = 0, evidence scale 1: every class ranked by its evidence).
 */
import { seededRandom } from '../split.js'
import { conditionalProbabilities, cooccurrenceCounts, sceneAssignment } from './cooccurrence.js'
import { salglShapes, type SalglHeader, type SalglParams } from './salgl-params.js'
import { sceneProbabilities } from './salgl-reference.js'
import { sceneStart } from './scene-start.js'

/** What the start needs of the training photos. */
export interface SalglInitInput {
  header: Omit<SalglHeader, 'format' | 'formatVersion'>
  /** The class word vectors, C x G row-major. */
  classWords: Float32Array
  /** Context features F_0 and known positive labels of the training photos. */
  features: Float32Array[]
  labels: number[][]
  seed: number
  /** Entropy-loss steps of the scene model after its k-means start (0: k-means alone). */
  sceneSteps: number
}

/** Seeded Glorot-uniform values for a [rows, cols] weight. */
function glorot(rows: number, cols: number, random: () => number, gain = 1): Float32Array {
  const limit = gain * Math.sqrt(6 / (rows + cols))
  return Float32Array.from({ length: rows * cols }, () => (2 * random() - 1) * limit)
}

/** Recounts P^k (eq. 7-8) of `p` in place from photos' features and labels under its current scenes; returns the assignment. */
export function recountCooccurrence(p: SalglParams, features: readonly Float32Array[], labels: readonly number[][]): Int32Array {
  const K = p.header.scenes
  const C = p.header.classNames.length
  const pi = new Float32Array(features.length * K)
  features.forEach((f, b) => pi.set(sceneProbabilities(p, f), b * K))
  const scenes = sceneAssignment(pi, K)
  p.tensors.set('scene.cooccurrence', conditionalProbabilities(cooccurrenceCounts(labels, scenes, K, C), K, C))
  return scenes
}

/** The untrained head (see the module comment). */
export function initialSalgl(o: SalglInitInput): SalglParams {
  const header: SalglHeader = { format: 'constella-salgl-head', formatVersion: 1, ...o.header }
  const random = seededRandom(o.seed * 7919 + 17)
  const C = header.classNames.length
  const d = header.nodeDim
  const start = sceneStart(o.features, header.scenes, o.seed, o.sceneSteps)
  const tensors = new Map<string, Float32Array>()
  for (const [name, shape] of Object.entries(salglShapes(header))) {
    const size = shape.reduce((a, b) => a * b, 1)
    const matrix = shape.length === 2 && !name.startsWith('scene.') && name !== 'classWords' && name !== 'cls.weight'
    tensors.set(name, matrix ? glorot(shape[0], shape[1], random, name.endsWith('.message') ? 0.1 : 1) : new Float32Array(size))
  }
  tensors.set('scene.mean', start.mean)
  tensors.set('scene.scale', start.scale)
  tensors.set('scene.weight', start.weight)
  tensors.set('scene.bias', start.bias)
  tensors.set('classWords', o.classWords.slice())
  tensors.set('cls.evidence', new Float32Array(C).fill(1))
  tensors.set('node.evidence', glorot(1, d, random))
  const p: SalglParams = { header, tensors }
  recountCooccurrence(p, o.features, o.labels)
  return p
}
