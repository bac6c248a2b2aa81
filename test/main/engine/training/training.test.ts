/**
 * Training on real photos' head inputs: the cache round trip, the partial-label loss (unknown
 * labels contribute nothing), resuming from a checkpoint (identical to an uninterrupted run), and
 * the training process (progress, cancel, the best head so far).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HeadParams } from '../../../../src/main/engine/head/head-params.js'
import { prepareGraphs, makeBatch, disposeBatch, type PreparedGraph } from '../../../../src/main/engine/training/graph-batch.js'
import { initialHead } from '../../../../src/main/engine/training/init.js'
import { decodeInputCache, encodeInputCache, writeInputCache, type CachedPhoto } from '../../../../src/main/engine/training/input-cache.js'
import { aslLoss } from '../../../../src/main/engine/training/losses.js'
import { splitIndices } from '../../../../src/main/engine/training/split.js'
import { initBackend, tf } from '../../../../src/main/engine/training/tf-backend.js'
import { DEFAULT_SETTINGS, trainHead, type TrainSettings } from '../../../../src/main/engine/training/train-loop.js'
import { DEFAULT_INIT } from '../../../../src/main/engine/training/train-job.js'
import { startTraining } from '../../../../src/main/engine/training/train-process.js'
import { encodeHead } from '../../../../src/main/engine/head/head-params.js'
import { realInputs } from './real-inputs.js'

const dir = mkdtempSync(path.join(tmpdir(), 'constella-train-'))
let photos: CachedPhoto[]
let base: HeadParams
let init: HeadParams
let graphs: PreparedGraph[]
const fast: TrainSettings = { ...DEFAULT_SETTINGS, maxEpochs: 3, patience: 99, batchSize: 6, classifierEpochs: 0 }

beforeAll(async () => {
  await initBackend('wasm')
  const real = await realInputs(16, 5)
  await real.runner.dispose()
  photos = real.photos
  base = real.head
  init = initialHead(base, 'class-space', 1, 1, 16)
  graphs = prepareGraphs(init, photos)
}, 120_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('head-input cache', () => {
  it('round-trips every field of the graph inputs', () => {
    const back = decodeInputCache(encodeInputCache({ source: { detector: 'd', featureSource: 'f', featureDim: 120, classNames: ['a'] }, photos }))
    expect(back.photos).toHaveLength(photos.length)
    back.photos.forEach((p, i) => {
      expect(p.labels).toEqual(photos[i].labels)
      expect(Array.from(p.input.photoFeature)).toEqual(Array.from(photos[i].input.photoFeature))
      expect(p.input.objects.map((o) => [o.classId, o.score, Array.from(o.evidence)])).toEqual(photos[i].input.objects.map((o) => [o.classId, o.score, Array.from(o.evidence)]))
    })
  })
})

describe('split', () => {
  it('is reproducible by seed and partitions the set', () => {
    const a = splitIndices(395, 0.7, 3)
    expect(splitIndices(395, 0.7, 3)).toEqual(a)
    expect(a.heldOut).toHaveLength(118)
    expect(new Set([...a.train, ...a.validation, ...a.heldOut]).size).toBe(395)
    expect(splitIndices(395, 0.7, 4).heldOut).not.toEqual(a.heldOut)
  })
})

describe('partial-label ASL (eq. 12 with eq. 17)', () => {
  it('gives unknown labels no gradient and known ones some', () => {
    const C = base.header.classNames.length
    const partial = photos.slice(0, 4).map((p) => ({ ...p, negatives: [1, 2, 3].filter((c) => !p.labels.includes(c)) }))
    const batch = makeBatch(prepareGraphs(init, partial), base.header.featureDim + base.header.wordDim, base.header.featureDim, C)
    try {
      const logits = tf.randomNormal([4, C], 0, 1, 'float32', 7) as tf.Tensor2D
      const grad = tf.grad((l: tf.Tensor) => aslLoss(l as tf.Tensor2D, batch.targets, batch.known, 2))(logits).arraySync() as number[][]
      partial.forEach((p, b) => {
        for (let c = 0; c < C; c++) {
          const known = p.labels.includes(c) || p.negatives.includes(c)
          if (known) expect(Math.abs(grad[b][c])).toBeGreaterThan(0)
          else expect(grad[b][c]).toBe(0)
        }
      })
    } finally {
      disposeBatch(batch)
    }
  })
})

describe('checkpoints', () => {
  it('a run resumed from its checkpoint ends where an uninterrupted run ends', async () => {
    const idx = graphs.map((_, i) => i)
    const whole = await trainHead({ head: init, graphs, train: idx, validation: [] }, { ...fast, maxEpochs: 4 })
    const ckpt = path.join(dir, 'ckpt')
    rmSync(ckpt, { recursive: true, force: true })
    mkdirSync(ckpt)
    const first = await trainHead({ head: init, graphs, train: idx, validation: [], checkpointDir: ckpt }, { ...fast, maxEpochs: 2 })
    expect(first.history.map((e) => e.epoch)).toEqual([1, 2])
    const resumed = await trainHead({ head: init, graphs, train: idx, validation: [], checkpointDir: ckpt, resume: true }, { ...fast, maxEpochs: 4 })
    expect(resumed.history.map((e) => e.epoch)).toEqual([1, 2, 3, 4])
    for (const [name, v] of whole.tensors) {
      const r = resumed.tensors.get(name)!
      expect(Math.max(...v.map((x, k) => Math.abs(x - r[k])))).toBeLessThan(1e-6)
    }
  }, 120_000)
})

describe('training process', () => {
  it('reports epochs from its own process and returns the best head when cancelled', async () => {
    const cacheFile = path.join(dir, 'cache.bin')
    writeInputCache(cacheFile, { source: { detector: 'test', featureSource: base.header.featureSource, featureDim: 120, classNames: base.header.classNames }, photos })
    const { tensors: _t, ...header } = base.header
    const baseHead = encodeHead(header, Object.fromEntries(base.header.tensors.map((t) => [t.name, { shape: t.shape, data: base.tensors.get(t.name)! }])))
    const epochs: number[] = []
    const run = startTraining({
      cacheFile, photos: photos.map((p) => ({ path: p.file, labels: p.labels, split: p.split })), split: 0.75, seed: 2, validation: 0.3,
      init: DEFAULT_INIT, settings: { ...fast, maxEpochs: 50 }, backend: 'wasm', baseHead, modelVersion: 'test',
    }, { onEpoch: (e) => {
      epochs.push(e.epoch)
      if (e.epoch === 2) run.cancel()
    } })
    expect(run.pid).not.toBe(process.pid)
    const result = await run.done
    expect(result.training.cancelled).toBe(true)
    expect(epochs.length).toBeGreaterThanOrEqual(2)
    expect(epochs.length).toBeLessThan(50)
    expect(result.head.length).toBeGreaterThan(1000)
    expect(result.heldOut?.photos).toBe(4)
  }, 120_000)
})
