/**
 * The classifier refitted on the chosen embedding: H of the labelled photos is fixed, so the
 * sigmoid layer (eq. 10, with format 2's evidence residual V e_0 when the head has it) alone is trained with the ASL of eq. 12 on the known labels (full batch,
 * L2 towards where it started), stopped on validation classification mAP.
 */
import type { HeadHeader } from '../head/head-params.js'
import { classificationMetrics } from '../../../shared/metrics/classification.js'
import type { PreparedGraph } from './graph-batch.js'
import { CLASSIFIER_EVIDENCE } from '../head/head-params.js'
import { tensorShape } from './head-model.js'
import { aslLoss } from './losses.js'
import { tf } from './tf-backend.js'
import type { TrainSettings } from './train-loop.js'
import { embedGraphs } from './validation.js'

/** Refits `tensors`' classifier in place; returns validation cls mAP before and after. */
export function fitClassifier(h: HeadHeader, tensors: Map<string, Float32Array>, graphs: readonly PreparedGraph[], train: number[], validation: number[], settings: TrainSettings): { before: number; after: number; epochs: number } {
  const C = h.classNames.length
  const width = h.heads * h.headDim
  const asTensors = new Map([...tensors].map(([k, v]) => [k, tf.tensor(v, tensorShape(h, k))]))
  try {
    const trainOut = embedGraphs(h, asTensors, graphs, train)
    const valOut = embedGraphs(h, asTensors, graphs, validation)
    const stack = (rows: Float32Array[]) => tf.tensor2d(Float32Array.from(rows.flatMap((r) => Array.from(r))), [rows.length, width])
    const targets = (idx: number[], value: (s: number) => number) => tf.tensor2d(Float32Array.from(idx.flatMap((i) => Array.from(graphs[i].states, value))), [idx.length, C])
    const H = stack(trainOut.vectors)
    const Hv = stack(valOut.vectors)
    const y = targets(train, (s) => (s === 1 ? 1 : 0))
    const known = targets(train, (s) => (s >= 0 ? 1 : 0))
    const evidenceOf = (idx: number[]) => tf.tensor2d(Float32Array.from(idx.flatMap((i) => Array.from(graphs[i].rawEvidence))), [idx.length, C])
    const E = evidenceOf(train)
    const Ev = evidenceOf(validation)
    const names = ['classifier.weight', 'classifier.bias', ...(asTensors.has(CLASSIFIER_EVIDENCE) ? [CLASSIFIER_EVIDENCE] : [])]
    const vars = names.map((name) => tf.variable(asTensors.get(name)!.clone(), true))
    const anchors = vars.map((v) => v.clone())
    const [W, b, V] = vars
    const logitsOf = (h: tf.Tensor2D, e: tf.Tensor2D) => {
      const l = tf.add(tf.matMul(h, W, false, true), b) as tf.Tensor2D
      return V ? (tf.add(l, tf.matMul(e, V, false, true)) as tf.Tensor2D) : l
    }
    const valLabels = validation.map((i) => graphs[i].positives)
    const score = () => {
      const p = tf.tidy(() => tf.sigmoid(logitsOf(Hv, Ev)).dataSync() as Float32Array)
      return validation.length ? classificationMetrics(valLabels.map((_, k) => p.slice(k * C, (k + 1) * C)), valLabels, C).mAP : 0
    }
    const before = score()
    const values = () => vars.map((v) => (v.dataSync() as Float32Array).slice())
    let best = { mAP: before, epoch: 0, values: values() }
    const optimizer = tf.train.adam(1e-2)
    let epoch = 0
    for (epoch = 1; epoch <= settings.classifierEpochs; epoch++) {
      optimizer.minimize(() => tf.add(aslLoss(logitsOf(H, E), y, known, settings.loss.gamma),
        tf.mul(settings.loss.l2, tf.addN(vars.map((v, k) => tf.sum(tf.square(tf.sub(v, anchors[k]))))))) as tf.Scalar, false, vars)
      if (epoch % 5 !== 0) continue
      const m = score()
      if (m > best.mAP) best = { mAP: m, epoch, values: values() }
      else if (epoch - best.epoch >= 50) break
    }
    names.forEach((name, k) => tensors.set(name, best.values[k]))
    tf.dispose([H, Hv, y, known, E, Ev, ...vars, ...anchors])
    optimizer.dispose()
    return { before, after: best.mAP, epochs: best.epoch }
  } finally {
    tf.dispose([...asTensors.values()])
  }
}
