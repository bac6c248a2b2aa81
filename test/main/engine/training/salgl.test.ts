/**
 * The salgl head on real coco-dev photos' head inputs (the real detector): the TensorFlow.js
 * training forward pass against the typed-array reference of eq. 12-16, the photo graph as a
 * mixture of per-scene conditional probabilities, K = 1 as one global matrix, the entropy loss,
 * and a short training that lowers the loss.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { tensor } from '../../../../src/main/engine/head/head-params.js'
import type { CachedPhoto } from '../../../../src/main/engine/training/input-cache.js'
import { seededRandom } from '../../../../src/main/engine/training/split.js'
import { initBackend, tf } from '../../../../src/main/engine/training/tf-backend.js'
import { initialSalgl } from '../../../../src/main/engine/training/salgl/salgl-init.js'
import { entropyLoss, salglForwardTf } from '../../../../src/main/engine/training/salgl/salgl-model.js'
import { salglShapes, salglTrainableNames, type SalglParams } from '../../../../src/main/engine/training/salgl/salgl-params.js'
import { evidenceLogit, salglForward } from '../../../../src/main/engine/training/salgl/salgl-reference.js'
import { standardFeature } from '../../../../src/main/engine/training/salgl/scene-start.js'
import { trainSalgl, DEFAULT_SALGL_SETTINGS } from '../../../../src/main/engine/training/salgl/salgl-train.js'
import { realInputs } from './real-inputs.js'

let photos: CachedPhoto[]
let words: Float32Array
let classNames: string[]

/** An untrained head on `photos` with every trainable tensor moved off its start (so the graph part counts). */
function head(K: number, jitter = 0.3): SalglParams {
  const p = initialSalgl({
    header: { modelVersion: `test-K${K}`, description: '', classNames, featureSource: 'f', featureDim: photos[0].input.photoFeature.length, wordDim: 100, scenes: K, nodeDim: 8, steps: 3, clamp: 0.01 },
    classWords: words, features: photos.map((p) => p.input.photoFeature), labels: photos.map((p) => p.labels), seed: 3, sceneSteps: 100,
  })
  const random = seededRandom(11)
  for (const name of salglTrainableNames(p.header)) p.tensors.set(name, p.tensors.get(name)!.map((v) => v + jitter * (2 * random() - 1)))
  return p
}

beforeAll(async () => {
  await initBackend('wasm')
  const real = await realInputs(24, 7)
  await real.runner.dispose()
  photos = real.photos
  words = tensor(real.head, 'classWords')
  classNames = real.head.header.classNames
}, 120_000)

describe('salgl forward pass', () => {
  it('the training forward pass matches the typed-array computation of eq. 12-16 within 1e-5', () => {
    const p = head(3)
    const h = p.header
    const C = classNames.length
    const vars = new Map(Object.entries(salglShapes(h)).filter(([n]) => n !== 'scene.cooccurrence').map(([n, shape]) => [n, tf.tensor(p.tensors.get(n)!, shape)]))
    const rows = (xs: ArrayLike<number>[], w: number) => tf.tensor2d(Float32Array.from(xs.flatMap((x) => Array.from(x))), [xs.length, w])
    const batch = {
      features: rows(photos.map((x) => standardFeature(x.input.photoFeature, p.tensors.get('scene.mean')!, p.tensors.get('scene.scale')!)), h.featureDim),
      evidence: rows(photos.map((x) => x.input.photoEvidence), C),
      evidenceLogit: rows(photos.map((x) => x.input.photoEvidence.map((e) => evidenceLogit(e, h.clamp))), C),
    }
    const cooc = tf.tensor3d(p.tensors.get('scene.cooccurrence')!, [3, C, C])
    const [pi, graph, logits] = tf.tidy(() => {
      const out = salglForwardTf(h, vars, batch, cooc, vars.get('classWords') as tf.Tensor2D)
      return [out.pi, out.graph, out.logits].map((t) => t.dataSync() as Float32Array)
    })
    let spread = 0
    photos.forEach((x, b) => {
      const ref = salglForward(p, x.input.photoFeature, x.input.photoEvidence)
      for (let k = 0; k < 3; k++) expect(Math.abs(pi[b * 3 + k] - ref.pi[k])).toBeLessThan(1e-5)
      for (let i = 0; i < C * C; i++) expect(Math.abs(graph[b * C * C + i] - ref.graph[i])).toBeLessThan(1e-5)
      for (let i = 0; i < C; i++) {
        expect(Math.abs(logits[b * C + i] - ref.logits[i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(ref.logits[i])))
        spread = Math.max(spread, Math.abs(ref.logits[i] - evidenceLogit(x.input.photoEvidence[i], h.clamp)))
      }
    })
    // the message passing really moved the logits away from the evidence alone
    expect(spread).toBeGreaterThan(0.1)
    tf.dispose([...vars.values(), batch.features, batch.evidence, batch.evidenceLogit, cooc])
  })

  it('P^I is a pi-weighted mixture of per-scene conditional probabilities', () => {
    const p = head(4)
    const C = classNames.length
    const P = p.tensors.get('scene.cooccurrence')!
    for (let x = 0; x < P.length; x++) expect(P[x]).toBeGreaterThanOrEqual(0)
    for (let x = 0; x < P.length; x++) expect(P[x]).toBeLessThanOrEqual(1)
    let mixError = 0
    let aboveDiagonal = 0
    for (const x of photos) {
      const ref = salglForward(p, x.input.photoFeature, x.input.photoEvidence)
      expect(ref.pi.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5)
      for (let i = 0; i < C; i++) {
        for (let j = 0; j < C; j++) {
          let mix = 0
          for (let k = 0; k < 4; k++) mix += ref.pi[k] * P[k * C * C + i * C + j]
          mixError = Math.max(mixError, Math.abs(ref.graph[i * C + j] - mix))
          // each P^k row is P(j | i) with P(i | i) = 1 where i occurs: no entry exceeds its row's diagonal
          aboveDiagonal = Math.max(aboveDiagonal, ref.graph[i * C + j] - ref.graph[i * C + i])
        }
      }
    }
    expect(mixError).toBeLessThan(1e-6)
    expect(aboveDiagonal).toBeLessThanOrEqual(1e-6)
    // the scenes really differ: some label pair has different conditional probabilities in two scenes
    const differs = Array.from({ length: C * C }, (_, x) => Math.abs(P[x] - P[C * C + x])).some((d) => d > 0.2)
    expect(differs).toBe(true)
  })

  it('K = 1 is one global co-occurrence matrix counted from all training labels', () => {
    const p = head(1)
    const C = classNames.length
    const count = new Float64Array(C * C)
    for (const x of photos) for (const i of new Set(x.labels)) for (const j of new Set(x.labels)) count[i * C + j]++
    const global = Float32Array.from({ length: C * C }, (_, x) => (count[Math.floor(x / C) * (C + 1)] > 0 ? count[x] / count[Math.floor(x / C) * (C + 1)] : 0))
    const person = classNames.indexOf('person')
    expect(global[person * C + person]).toBe(1)
    for (const x of photos.slice(0, 5)) {
      const ref = salglForward(p, x.input.photoFeature, x.input.photoEvidence)
      expect(Array.from(ref.pi)).toEqual([1])
      for (let i = 0; i < C * C; i++) expect(ref.graph[i]).toBeCloseTo(global[i], 6)
    }
    expect(entropyLoss(tf.ones([4, 1]) as tf.Tensor2D).total.dataSync()[0]).toBeCloseTo(0, 6)
  })

  it('the entropy loss is eq. 9 + eq. 10', () => {
    const pi = [[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]]
    const H = (q: number[]) => -q.reduce((s, v) => s + v * Math.log(v), 0)
    const mean = [0, 1, 2].map((k) => (pi[0][k] + pi[1][k]) / 2)
    const loss = entropyLoss(tf.tensor2d(pi))
    expect(loss.sample.dataSync()[0]).toBeCloseTo((H(pi[0]) + H(pi[1])) / 2, 5)
    expect(loss.batch.dataSync()[0]).toBeCloseTo(-H(mean) + Math.log(3), 5)
  })
})

describe('salgl training', () => {
  it('lowers the loss on real photos and gives finite outputs', async () => {
    const start = head(2, 0)
    const train = photos.map((_, i) => i).slice(0, 18)
    const r = await trainSalgl({ start, photos, train, validation: [] }, { ...DEFAULT_SALGL_SETTINGS, maxEpochs: 8, patience: 99, batchSize: 6, learningRate: 1e-2 })
    expect(r.history).toHaveLength(8)
    expect(r.history.at(-1)!.terms.cls).toBeLessThan(r.history[0].terms.cls * 0.9)
    expect(r.bestEpoch).toBe(8)
    for (const x of photos) {
      const out = salglForward(r.params, x.input.photoFeature, x.input.photoEvidence)
      expect(out.scores.every((s) => Number.isFinite(s) && s >= 0 && s <= 1)).toBe(true)
    }
    const w = r.params.tensors.get('cls.weight')!
    expect(w.some((v) => v !== 0)).toBe(true)
  }, 60_000)
})
