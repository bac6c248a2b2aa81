/**
 * The training loop: Adam over the head's variables on the labelled part, one validation pass per
 * epoch (validation photos query the whole labelled part), early stopping on validation retrieval
 * (mAP + NDCG@10) with the best epoch's weights kept, then the classifier alone refitted on the
 * chosen embedding (stopped on validation classification mAP). Every epoch can be checkpointed;
 * a run resumes from its checkpoint. Cancelling stops after the current batch.
 */
import { tensor, type HeadParams } from '../head/head-params.js'
import { disposeBatch, makeBatch, batchOrder, type PreparedGraph } from './graph-batch.js'
import { forward, headVariables, tensorShape, trainableNames, type HeadVariables } from './head-model.js'
import { DEFAULT_LOSS, totalLoss, type LossOptions } from './losses.js'
import { seededRandom } from './split.js'
import { tf } from './tf-backend.js'
import { validationMetrics, type ValidationMetrics } from './validation.js'
import { loadCheckpoint, saveCheckpoint, type Checkpoint } from './checkpoint.js'
import { fitClassifier } from './fit-classifier.js'

/** Settings of one run. */
export interface TrainSettings {
  seed: number
  maxEpochs: number
  batchSize: number
  learningRate: number
  /** Epochs without a better validation score before stopping. */
  patience: number
  loss: LossOptions
  /** Refit the classifier on the chosen embedding afterwards (epochs; 0 = no). */
  classifierEpochs: number
  /**
   * Which tensors train: every trainable one, or only the attention vectors, the evidence residuals
   * and the classifier (the node projection and the GAT projections stay as initialised).
   */
  trainable: 'all' | 'attention'
}

/** The settings used (measured: resources/heads/README.md). */
export const DEFAULT_SETTINGS: TrainSettings = { seed: 1, maxEpochs: 30, batchSize: 48, learningRate: 1e-3, patience: 5, loss: DEFAULT_LOSS, classifierEpochs: 200, trainable: 'all' }

/** One epoch's report. */
export interface EpochReport {
  epoch: number
  /** Mean batch loss and its terms. */
  loss: number
  terms: Record<string, number>
  validation: ValidationMetrics
  monitor?: Record<string, number>
  /** The best epoch so far (its weights are kept). */
  bestEpoch: number
  seconds: number
}

/** What a run needs besides the settings. */
export interface TrainInput {
  /** The initial head (its tensors are the starting point and the L2 anchor). */
  head: HeadParams
  graphs: PreparedGraph[]
  train: number[]
  validation: number[]
  signal?: AbortSignal
  onEpoch?(report: EpochReport): void
  /** Folder for the per-epoch checkpoint; with `resume`, an existing checkpoint there is continued. */
  checkpointDir?: string
  resume?: boolean
  /** Extra figures per epoch from the current variables (measurements only; never used to choose). */
  monitor?(vars: ReadonlyMap<string, tf.Tensor>): Record<string, number>
}

/** The outcome: the best variables' values by tensor name, and the history. */
export interface TrainResult {
  tensors: Map<string, Float32Array>
  history: EpochReport[]
  bestEpoch: number
  cancelled: boolean
  classifier?: { before: number; after: number; epochs: number }
  seconds: number
}

const snapshot = (vars: HeadVariables) => new Map([...vars].map(([k, v]) => [k, (v.dataSync() as Float32Array).slice()]))

/** Trains; see the module comment. */
export async function trainHead(input: TrainInput, settings: TrainSettings = DEFAULT_SETTINGS): Promise<TrainResult> {
  const started = Date.now()
  const { head, graphs } = input
  const h = head.header
  const inDim = h.featureDim + h.wordDim
  const C = h.classNames.length
  const names = trainableNames(head).filter((n) => settings.trainable === 'all' || !/^(node|gat\d+)\.(weight|bias)$/.test(n))
  const vars = headVariables(head, names)
  const frozen = new Map(trainableNames(head).filter((n) => !vars.has(n)).map((n) => [n, tf.tensor(tensor(head, n), tensorShape(h, n))]))
  const params: ReadonlyMap<string, tf.Tensor> = new Map<string, tf.Tensor>([...vars, ...frozen])
  const anchors = new Map([...vars].map(([k, v]) => [k, tf.clone(v)]))
  const optimizer = tf.train.adam(settings.learningRate)
  let state: Checkpoint = { epoch: 0, bestEpoch: 0, bestScore: -Infinity, history: [], best: snapshot(vars) }
  if (input.resume && input.checkpointDir) state = loadCheckpoint(input.checkpointDir, vars, optimizer) ?? state
  if (state.epoch === 0) {
    const v = validationMetrics(h, params, graphs, input.validation)
    state.bestScore = v.score
  }
  let cancelled = false
  try {
    for (let epoch = state.epoch + 1; epoch <= settings.maxEpochs; epoch++) {
      const t0 = Date.now()
      const random = seededRandom(settings.seed * 100003 + epoch)
      const sums: Record<string, number> = { total: 0 }
      const batches = batchOrder(graphs, input.train, settings.batchSize, random)
      for (const indices of batches) {
        // let messages (a cancel) in between batches: the steps themselves are synchronous
        await new Promise((resolve) => setImmediate(resolve))
        if (input.signal?.aborted) break
        const batch = makeBatch(indices.map((i) => graphs[i]), inDim, h.featureDim, C)
        try {
          optimizer.minimize(() => {
            const { total, terms } = totalLoss(forward(h, params, batch), batch, vars, anchors, settings.loss)
            for (const [k, t] of Object.entries(terms)) sums[k] = (sums[k] ?? 0) + (t.dataSync()[0] / batches.length)
            sums.total += total.dataSync()[0] / batches.length
            return total
          }, false, [...vars.values()])
        } finally {
          disposeBatch(batch)
        }
      }
      if (input.signal?.aborted) {
        cancelled = true
        break
      }
      const validation = validationMetrics(h, params, graphs, input.validation)
      // without a validation part there is nothing to stop on: the last epoch is kept
      if (input.validation.length === 0 || validation.score > state.bestScore) {
        state.bestScore = validation.score
        state.bestEpoch = epoch
        state.best = snapshot(vars)
      }
      const { total, ...terms } = sums
      const report: EpochReport = { epoch, loss: total, terms, validation, monitor: input.monitor?.(params), bestEpoch: state.bestEpoch, seconds: (Date.now() - t0) / 1000 }
      state.history.push(report)
      state.epoch = epoch
      if (input.checkpointDir) saveCheckpoint(input.checkpointDir, state, vars, optimizer)
      input.onEpoch?.(report)
      if (epoch - state.bestEpoch >= settings.patience) break
    }
    const tensors = new Map([...trainableNames(head).map((n): [string, Float32Array] => [n, tensor(head, n)]), ...state.best])
    let classifier: TrainResult['classifier']
    if (!cancelled && settings.classifierEpochs > 0) {
      classifier = fitClassifier(h, tensors, graphs, input.train, input.validation, settings)
    }
    return { tensors, history: state.history, bestEpoch: state.bestEpoch, cancelled, classifier, seconds: (Date.now() - started) / 1000 }
  } finally {
    tf.dispose([...vars.values(), ...anchors.values(), ...frozen.values()])
    optimizer.dispose()
  }
}
