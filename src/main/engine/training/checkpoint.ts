/**
 * The per-epoch checkpoint of a run: the variables, the best epoch's values, Adam's moments and
 * the history, in one tensor file (`checkpoint.bin`) written atomically after every epoch.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { EpochReport } from './train-loop.js'
import type { HeadVariables } from './head-model.js'
import { stripRun } from './head-model.js'
import { readTensorFile, writeTensorFile } from './tensor-file.js'
import { tf } from './tf-backend.js'

/** A run's state between epochs. */
export interface Checkpoint {
  epoch: number
  bestEpoch: number
  bestScore: number
  history: EpochReport[]
  best: Map<string, Float32Array>
}

const FILE = 'checkpoint.bin'

/** Writes the checkpoint of `state` (Adam's moments are read from the optimizer). */
export function saveCheckpoint(dir: string, state: Checkpoint, vars: HeadVariables, optimizer: tf.AdamOptimizer): void {
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>()
  for (const [name, v] of vars) tensors.set(`var/${name}`, { shape: v.shape, data: v.dataSync() as Float32Array })
  for (const [name, data] of state.best) tensors.set(`best/${name}`, { shape: [data.length], data })
  const moments = optimizerMoments(optimizer)
  moments.forEach((m, i) => tensors.set(`opt/${i}/${stripRun(m.name)}`, { shape: m.tensor.shape, data: m.tensor.dataSync() as Float32Array }))
  const { best: _b, ...note } = state
  writeTensorFile(path.join(dir, FILE), { note: { ...note, iterations: optimizer.iterations, moments: moments.length }, tensors })
}

/** Adam's first then second moments, in variable order (as `setWeights` expects them). */
function optimizerMoments(optimizer: tf.AdamOptimizer): { name: string; tensor: tf.Tensor }[] {
  const o = optimizer as unknown as { accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[]; accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[] }
  return [...o.accumulatedFirstMoment, ...o.accumulatedSecondMoment].map((m) => ({ name: m.originalName, tensor: m.variable }))
}

/** Restores a checkpoint into `vars` and `optimizer`; undefined when there is none. */
export function loadCheckpoint(dir: string, vars: HeadVariables, optimizer: tf.AdamOptimizer): Checkpoint | undefined {
  const file = path.join(dir, FILE)
  if (!existsSync(file)) return undefined
  const { note, tensors } = readTensorFile<Omit<Checkpoint, 'best'> & { iterations: number; moments: number }>(file)
  for (const [name, v] of vars) {
    const saved = tensors.get(`var/${name}`)
    if (!saved || saved.data.length !== v.size) throw new Error(`${file} does not fit this head (tensor ${name}); delete it to start over`)
    v.assign(tf.tensor(saved.data, v.shape))
  }
  const best = new Map<string, Float32Array>()
  for (const [key, t] of tensors) if (key.startsWith('best/')) best.set(key.slice(5), t.data.slice())
  const moments = [...tensors].filter(([key]) => key.startsWith('opt/')).sort((a, b) => Number(a[0].split('/')[1]) - Number(b[0].split('/')[1]))
  if (moments.length > 0) {
    const o = optimizer as unknown as { accumulatedFirstMoment: unknown[]; accumulatedSecondMoment: unknown[]; iterations_: number; accBeta1: tf.Variable; accBeta2: tf.Variable; beta1: number; beta2: number }
    const half = moments.length / 2
    const wrap = ([key, t]: (typeof moments)[number]) => ({ originalName: key.split('/').slice(2).join('/'), variable: tf.tensor(t.data, t.shape).variable(false) })
    o.accumulatedFirstMoment = moments.slice(0, half).map(wrap)
    o.accumulatedSecondMoment = moments.slice(half).map(wrap)
    o.iterations_ = note.iterations
    o.accBeta1.assign(tf.scalar(o.beta1 ** (note.iterations + 1)))
    o.accBeta2.assign(tf.scalar(o.beta2 ** (note.iterations + 1)))
  }
  return { epoch: note.epoch, bestEpoch: note.bestEpoch, bestScore: note.bestScore, history: note.history, best }
}
