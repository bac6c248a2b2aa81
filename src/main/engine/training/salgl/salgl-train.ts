/**
 * Training the salgl head on cached head inputs (the detector never runs): Adam on the loss of
 * SALGL eq. 18, L = L_cls + lambda L_en, with L_cls the project's ASL on known labels only (eq. 17
 * with gamma+ = 0, gamma- = 2, normalised as ML-SGM's partial BCE: unknown labels add nothing)
 * and L_en the entropy loss of eq. 9-11, plus a small L2 towards the start. At the start of every
 * epoch each training photo goes to its argmax scene and P^k is recounted from the training labels
 * (eq. 6-8; the paper accumulates counts over training, which converge to the same as the
 * assignment settles). Early stopping on the validation part's classification mAP, best epoch kept
 * (epoch 0 is the start, which ranks every class as the detector does).
 */
import { classificationMetrics } from '../../../../shared/metrics/classification.js'
import type { CachedPhoto } from '../input-cache.js'
import { aslLoss } from '../losses.js'
import { shuffled } from '../split.js'
import { tf } from '../tf-backend.js'
import { recountCooccurrence } from './salgl-init.js'
import { entropyLoss, salglForwardTf, type SalglBatch } from './salgl-model.js'
import { salglShapes, salglTrainableNames, type SalglParams } from './salgl-params.js'
import { evidenceLogit } from './salgl-reference.js'
import { standardFeature } from './scene-start.js'

/** Settings of a run. */
export interface SalglSettings {
  seed: number
  maxEpochs: number
  patience: number
  batchSize: number
  learningRate: number
  /** lambda of eq. 18 (1 in the paper). */
  entropyWeight: number
  /** Keep eq. 10's batch term (false: the sample term alone, for the collapse measurement). */
  batchEntropy: boolean
  /** L2 towards the start. */
  l2: number
  /** ASL's gamma for negatives (eq. 17's gamma-). */
  gamma: number
}

/** Defaults (measured: resources/heads/README.md, "salgl"). */
export const DEFAULT_SALGL_SETTINGS: SalglSettings = { seed: 1, maxEpochs: 60, patience: 10, batchSize: 32, learningRate: 1e-3, entropyWeight: 1, batchEntropy: true, l2: 1e-4, gamma: 2 }

/** One epoch's report. */
export interface SalglEpoch {
  epoch: number
  loss: number
  terms: Record<string, number>
  /** Validation classification mAP (%). */
  validation: number
  bestEpoch: number
  sceneSizes: number[]
  seconds: number
}

/** A run's input. */
export interface SalglTrainInput {
  start: SalglParams
  photos: readonly CachedPhoto[]
  train: number[]
  validation: number[]
  onEpoch?(e: SalglEpoch): void
  signal?: AbortSignal
}

/** A run's result: the best head and the history. */
export interface SalglTrainResult {
  params: SalglParams
  history: SalglEpoch[]
  bestEpoch: number
  /** Validation mAP of the start (the detector's ranking) and of the best epoch. */
  validation: { start: number; best: number }
  seconds: number
}

const rows = (xs: Float32Array[], width: number) => tf.tensor2d(Float32Array.from(xs.flatMap((x) => Array.from(x))), [xs.length, width])

/** Trains from `input.start` (see the module comment). */
export async function trainSalgl(input: SalglTrainInput, s: SalglSettings = DEFAULT_SALGL_SETTINGS): Promise<SalglTrainResult> {
  const started = Date.now()
  const p: SalglParams = { header: input.start.header, tensors: new Map([...input.start.tensors].map(([k, v]) => [k, v.slice()])) }
  const h = p.header
  const C = h.classNames.length
  const shapes = salglShapes(h)
  const photos = input.photos
  const feats = photos.map((ph) => standardFeature(ph.input.photoFeature, p.tensors.get('scene.mean')!, p.tensors.get('scene.scale')!))
  const states = photos.map((ph) => {
    const st = new Float32Array(C).fill(ph.negatives ? -1 : 0)
    for (const c of ph.negatives ?? []) st[c] = 0
    for (const c of ph.labels) st[c] = 1
    return st
  })
  const batchOf = (idx: number[]): SalglBatch & { targets: tf.Tensor2D; known: tf.Tensor2D } => ({
    features: rows(idx.map((i) => feats[i]), h.featureDim),
    evidence: rows(idx.map((i) => photos[i].input.photoEvidence), C),
    evidenceLogit: rows(idx.map((i) => photos[i].input.photoEvidence.map((e) => evidenceLogit(e, h.clamp))), C),
    targets: rows(idx.map((i) => states[i].map((x) => (x === 1 ? 1 : 0))), C),
    known: rows(idx.map((i) => states[i].map((x) => (x >= 0 ? 1 : 0))), C),
  })
  const free = (b: ReturnType<typeof batchOf>) => tf.dispose([b.features, b.evidence, b.evidenceLogit, b.targets, b.known])
  const names = salglTrainableNames(h)
  const vars = new Map(names.map((n) => [n, tf.variable(tf.tensor(p.tensors.get(n)!, shapes[n]), true)]))
  const anchors = new Map([...vars].map(([n, v]) => [n, tf.clone(v)]))
  const fixed = new Map([...p.tensors].filter(([n]) => !vars.has(n) && n !== 'scene.cooccurrence').map(([n, t]) => [n, tf.tensor(t, shapes[n])]))
  const params = new Map<string, tf.Tensor>([...vars, ...fixed])
  const words = params.get('classWords') as tf.Tensor2D
  const trainFeats = input.train.map((i) => photos[i].input.photoFeature)
  const trainLabels = input.train.map((i) => photos[i].labels)
  const syncParams = () => { for (const [n, v] of vars) p.tensors.set(n, (v.dataSync() as Float32Array).slice()) }
  const validationBatch = input.validation.length ? batchOf(input.validation) : undefined
  const valLabels = input.validation.map((i) => photos[i].labels)
  const validate = (cooc: tf.Tensor3D): number => {
    if (!validationBatch) return 0
    const probs = tf.tidy(() => tf.sigmoid(salglForwardTf(h, params, validationBatch, cooc, words).logits).dataSync() as Float32Array)
    return classificationMetrics(valLabels.map((_, k) => probs.slice(k * C, (k + 1) * C)), valLabels, C).mAP
  }
  const optimizer = tf.train.adam(s.learningRate)
  const history: SalglEpoch[] = []
  let cooc = tf.tensor3d(p.tensors.get('scene.cooccurrence')!, [h.scenes, C, C])
  const startScore = validate(cooc)
  let best = { score: startScore, epoch: 0, tensors: new Map([...p.tensors].map(([k, v]) => [k, v.slice()])) }
  try {
    for (let epoch = 1; epoch <= s.maxEpochs; epoch++) {
      const t0 = Date.now()
      syncParams()
      const scenes = recountCooccurrence(p, trainFeats, trainLabels)
      cooc.dispose()
      cooc = tf.tensor3d(p.tensors.get('scene.cooccurrence')!, [h.scenes, C, C])
      const order = shuffled(input.train.length, s.seed * 100003 + epoch).map((k) => input.train[k])
      const sums: Record<string, number> = { total: 0, cls: 0, entropy: 0, l2: 0 }
      const count = Math.ceil(order.length / s.batchSize)
      for (let k = 0; k < order.length; k += s.batchSize) {
        await new Promise((resolve) => setImmediate(resolve))
        if (input.signal?.aborted) break
        const batch = batchOf(order.slice(k, k + s.batchSize))
        try {
          optimizer.minimize(() => {
            const out = salglForwardTf(h, params, batch, cooc, words)
            const cls = aslLoss(out.logits, batch.targets, batch.known, s.gamma)
            const entropy = entropyLoss(out.pi, s.batchEntropy).total
            const l2 = tf.addN([...vars].map(([n, v]) => tf.sum(tf.square(tf.sub(v, anchors.get(n)!)))))
            const total = tf.addN([cls, tf.mul(s.entropyWeight, entropy), tf.mul(s.l2, l2)]) as tf.Scalar
            sums.cls += cls.dataSync()[0] / count
            sums.entropy += entropy.dataSync()[0] / count
            sums.l2 += l2.dataSync()[0] / count
            sums.total += total.dataSync()[0] / count
            return total
          }, false, [...vars.values()])
        } finally {
          free(batch)
        }
      }
      if (input.signal?.aborted) break
      const validation = validate(cooc)
      syncParams()
      // without a validation part there is nothing to stop on: the last epoch is kept
      if (!validationBatch || validation > best.score) best = { score: validation, epoch, tensors: new Map([...p.tensors].map(([n, v]) => [n, v.slice()])) }
      const { total, ...terms } = sums
      const sizes = Array.from({ length: h.scenes }, (_, k) => scenes.filter((x) => x === k).length)
      const report: SalglEpoch = { epoch, loss: total, terms, validation, bestEpoch: best.epoch, sceneSizes: sizes, seconds: (Date.now() - t0) / 1000 }
      history.push(report)
      input.onEpoch?.(report)
      if (epoch - best.epoch >= s.patience) break
    }
  } finally {
    tf.dispose([...vars.values(), ...anchors.values(), ...fixed.values(), cooc])
    if (validationBatch) free(validationBatch)
    optimizer.dispose()
  }
  return { params: { header: h, tensors: best.tensors }, history, bestEpoch: best.epoch, validation: { start: startScore, best: best.score }, seconds: (Date.now() - started) / 1000 }
}
