/**
 * The trained head's ONNX graph (built by the existing builder from the exported parameter file)
 * against the training-time forward pass (TensorFlow.js), within 1e-4 on real photos: for a head
 * really fine-tuned a few epochs on real photos, and for one whose every trained tensor (attention
 * vectors and both evidence residuals of head format 2 included) carries seeded noise.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { embedGraph } from '../../../../src/main/engine/head/graph-embed.js'
import { embedGraphOnEngine } from '../../../../src/main/engine/head/graph-embed-engine.js'
import { buildHeadGraph } from '../../../../src/main/engine/head/head-graph.js'
import { CLASSIFIER_EVIDENCE, decodeHead, EVIDENCE_RESIDUAL, tensor, type HeadParams } from '../../../../src/main/engine/head/head-params.js'
import { prepareGraphs } from '../../../../src/main/engine/training/graph-batch.js'
import { exportHead, tensorShape, trainableNames } from '../../../../src/main/engine/training/head-model.js'
import { initialHead } from '../../../../src/main/engine/training/init.js'
import type { CachedPhoto } from '../../../../src/main/engine/training/input-cache.js'
import { seededRandom } from '../../../../src/main/engine/training/split.js'
import { initBackend, tf } from '../../../../src/main/engine/training/tf-backend.js'
import { DEFAULT_SETTINGS, trainHead } from '../../../../src/main/engine/training/train-loop.js'
import { embedGraphs } from '../../../../src/main/engine/training/validation.js'
import { OrtRunner } from '../../../support/ort-runner.js'
import { realInputs } from './real-inputs.js'

let photos: CachedPhoto[]
let base: HeadParams
let detectorRunner: OrtRunner
const runners: OrtRunner[] = []

beforeAll(async () => {
  await initBackend('wasm')
  const real = await realInputs(14)
  photos = real.photos
  base = real.head
  detectorRunner = real.runner
}, 120_000)
afterAll(async () => {
  await detectorRunner?.dispose()
  for (const r of runners) await r.dispose()
})

/** A head file from `init` with the given tensor values. */
function exported(init: HeadParams, values: Map<string, Float32Array>): HeadParams {
  return decodeHead(exportHead(init, new Map([...values].map(([k, v]) => [k, { dataSync: () => v }])) as never))
}

/** Max |training forward - ONNX graph| over H and the label scores of every photo (and TS reference vs ONNX). */
async function parity(head: HeadParams): Promise<{ training: number; reference: number }> {
  const runner = new OrtRunner({ head: buildHeadGraph(head) })
  runners.push(runner)
  const graphs = prepareGraphs(head, photos)
  const params = new Map(trainableNames(head).map((n) => [n, tf.tensor(tensor(head, n), tensorShape(head.header, n))]))
  const forward = embedGraphs(head.header, params, graphs, graphs.map((_, i) => i))
  tf.dispose([...params.values()])
  let training = 0
  let reference = 0
  for (const [i, p] of photos.entries()) {
    const onnx = await embedGraphOnEngine(runner, 'head', head, p.input)
    const ts = embedGraph(head, p.input)
    for (const [a, b, c] of [[onnx.embedding, forward.vectors[i], ts.embedding], [onnx.labelScores, forward.scores[i], ts.labelScores]]) {
      for (let k = 0; k < a.length; k++) {
        training = Math.max(training, Math.abs(a[k] - b[k]))
        reference = Math.max(reference, Math.abs(a[k] - c[k]))
      }
    }
  }
  return { training, reference }
}

describe('trained head: ONNX graph vs the training forward pass', () => {
  it('matches within 1e-4 for a head fine-tuned on real photos', async () => {
    const init = initialHead(base, 'class-space', 1, 2, 16)
    const graphs = prepareGraphs(init, photos)
    const idx = graphs.map((_, i) => i)
    // no early stopping: four real epochs, so every tensor has moved
    const result = await trainHead({ head: init, graphs, train: idx.slice(0, 10), validation: [] },
      { ...DEFAULT_SETTINGS, maxEpochs: 4, patience: 99, batchSize: 5, classifierEpochs: 0 })
    const trained = exported(init, result.tensors)
    expect(result.history).toHaveLength(4)
    const moved = (name: string) => Math.max(...tensor(trained, name).map((v, k) => Math.abs(v - tensor(init, name)[k])))
    for (const name of ['node.weight', 'gat0.attnSrc', 'gat1.weight', EVIDENCE_RESIDUAL, CLASSIFIER_EVIDENCE, 'classifier.weight']) expect(moved(name)).toBeGreaterThan(1e-5)
    expect(trained.header.formatVersion).toBe(2)
    const d = await parity(trained)
    expect(d.training).toBeLessThan(1e-4)
    expect(d.reference).toBeLessThan(1e-4)
  }, 120_000)

  it('matches within 1e-4 with seeded noise on every trained tensor', async () => {
    const init = initialHead(base, 'class-space', 1, 1, 8)
    const random = seededRandom(11)
    const noisy = new Map(trainableNames(init).map((n) => [n, tensor(init, n).map((v) => v + 0.05 * (2 * random() - 1))]))
    const d = await parity(exported(init, noisy))
    expect(d.training).toBeLessThan(1e-4)
    expect(d.reference).toBeLessThan(1e-4)
  }, 120_000)
})
