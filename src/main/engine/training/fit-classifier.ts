/**
 * The classifier refitted on the chosen embedding: H of the labelled photos is fixed, so the
 * sigmoid layer (eq. 10) alone is trained with the ASL of eq. 12 on the known labels (full batch,
 * L2 towards where it started), stopped on validation classification mAP.
 */
import type { HeadHeader } from '../head/head-params.js'
import { classificationMetrics } from '../../../shared/metrics/classification.js'
import type { PreparedGraph } from './graph-batch.js'
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
    const W = tf.variable(asTensors.get('classifier.weight')!.clone(), true)
    const b = tf.variable(asTensors.get('classifier.bias')!.clone(), true)
    const W0 = W.clone()
    const b0 = b.clone()
    const valLabels = validation.map((i) => graphs[i].positives)
    const score = () => {
      const p = tf.tidy(() => tf.sigmoid(tf.add(tf.matMul(Hv, W, false, true), b)).dataSync() as Float32Array)
      return validation.length ? classificationMetrics(valLabels.map((_, k) => p.slice(k * C, (k + 1) * C)), valLabels, C).mAP : 0
    }
    const before = score()
    let best = { mAP: before, epoch: 0, W: W.dataSync().slice(), b: b.dataSync().slice() }
    const optimizer = tf.train.adam(1e-2)
    let epoch = 0
    for (epoch = 1; epoch <= settings.classifierEpochs; epoch++) {
      optimizer.minimize(() => tf.add(aslLoss(tf.add(tf.matMul(H, W, false, true), b) as tf.Tensor2D, y, known, settings.loss.gamma),
        tf.mul(settings.loss.l2, tf.add(tf.sum(tf.square(tf.sub(W, W0))), tf.sum(tf.square(tf.sub(b, b0)))))) as tf.Scalar, false, [W, b])
      if (epoch % 5 !== 0) continue
      const m = score()
      if (m > best.mAP) best = { mAP: m, epoch, W: W.dataSync().slice(), b: b.dataSync().slice() }
      else if (epoch - best.epoch >= 50) break
    }
    tensors.set('classifier.weight', best.W as Float32Array)
    tensors.set('classifier.bias', best.b as Float32Array)
    tf.dispose([H, Hv, y, known, W, b, W0, b0])
    optimizer.dispose()
    return { before, after: best.mAP, epochs: best.epoch }
  } finally {
    tf.dispose([...asTensors.values()])
  }
}
