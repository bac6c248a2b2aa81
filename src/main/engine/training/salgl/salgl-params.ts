/**
 * The `salgl` head: scene-aware label refinement (SALGL, sections 3.3-3.5) over the detector's
 * per-class evidence, as a file of named float32 tensors (the `tensor-file.ts` layout, "CNTENS1")
 * whose JSON note is the {@link SalglHeader}. A trained head's folder holds it as
 * {@link SALGL_FILES}.params beside `salgl-metrics.json` and `heldout.json`.
 *
 * Tensors (C classes, F feature size, K scenes, d node size, G word size):
 * - `scene.mean` [F], `scene.scale` [F], `scene.weight` [K, F], `scene.bias` [K]: pi = softmax(W_s x + b_s)
 *   (eq. 5), x = unit((v - mean) * scale) the standardised context feature (as `engine/scenes`),
 *   v = F_0 = the global average pool of the detector's feature map (`photoFeature`).
 * - `scene.cooccurrence` [K, C, C]: P^k (eq. 8) counted from the training labels (eq. 7).
 * - `classWords` [C, G]: the fixed label word vectors (unit, centred GloVe, as the SARL-GAT head's).
 * - `node.wordEvidence` [d, G], `node.word` [d, G], `node.evidence` [d], `node.bias` [d]: the label
 *   node's start h_i^0 = tanh(e_i A g_i + B g_i + e_i a + b0), e_i the photo's evidence of class i.
 * - `gru.{z,r,h}.{message,state}` [d, d] and `gru.{z,r,h}.bias` [d]: the gated update (eq. 14).
 * - `out.weight` [d, 2d], `out.bias` [d]: Phi_c of eq. 15 (one tanh layer).
 * - `cls.weight` [C, d], `cls.bias` [C]: w_i of eq. 16; `cls.evidence` [C]: the evidence residual,
 *   logit_i = w_i . o_i + b_i + s_i logit(clamp(e_i)) (s_i starts at 1, w_i at 0: the untrained
 *   head ranks every class as the detector does).
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { readTensorFile, writeTensorFile } from '../tensor-file.js'

/** File names of a trained salgl head's folder. */
export const SALGL_FILES = { params: 'salgl-head.bin', metrics: 'salgl-metrics.json', heldOut: 'heldout.json' } as const

/** Scalars of a salgl head (the tensor file's note). */
export interface SalglHeader {
  format: 'constella-salgl-head'
  formatVersion: 1
  modelVersion: string
  description: string
  classNames: string[]
  featureSource: string
  featureDim: number
  wordDim: number
  /** Scene count K (1 = one global co-occurrence matrix). */
  scenes: number
  /** Label node size d. */
  nodeDim: number
  /** Message-passing steps T. */
  steps: number
  /** Evidence is clamped to [clamp, 1 - clamp] before its logit. */
  clamp: number
}

/** A loaded salgl head. */
export interface SalglParams {
  header: SalglHeader
  tensors: Map<string, Float32Array>
}

/** Shapes of every tensor of a head with `h`'s sizes. */
export function salglShapes(h: SalglHeader): Record<string, number[]> {
  const C = h.classNames.length
  const d = h.nodeDim
  const gru = Object.fromEntries(['z', 'r', 'h'].flatMap((g) => [[`gru.${g}.message`, [d, d]], [`gru.${g}.state`, [d, d]], [`gru.${g}.bias`, [d]]]))
  return {
    'scene.mean': [h.featureDim], 'scene.scale': [h.featureDim], 'scene.weight': [h.scenes, h.featureDim], 'scene.bias': [h.scenes],
    'scene.cooccurrence': [h.scenes, C, C], classWords: [C, h.wordDim],
    'node.wordEvidence': [d, h.wordDim], 'node.word': [d, h.wordDim], 'node.evidence': [d], 'node.bias': [d],
    ...gru,
    'out.weight': [d, 2 * d], 'out.bias': [d], 'cls.weight': [C, d], 'cls.bias': [C], 'cls.evidence': [C],
  }
}

/** Tensors learned by gradient (the standardisation, the co-occurrence and the words are not). */
export function salglTrainableNames(h: SalglHeader): string[] {
  return Object.keys(salglShapes(h)).filter((n) => !['scene.mean', 'scene.scale', 'scene.cooccurrence', 'classWords'].includes(n) && !(h.scenes === 1 && n.startsWith('scene.')))
}

/** The named tensor, or an error naming it. */
export function salglTensor(p: SalglParams, name: string): Float32Array {
  const t = p.tensors.get(name)
  if (!t) throw new Error(`salgl head ${p.header.modelVersion} has no tensor "${name}"`)
  return t
}

/** Writes a head file (atomically). */
export function writeSalglHead(file: string, p: SalglParams): void {
  const shapes = salglShapes(p.header)
  const tensors = new Map(Object.entries(shapes).map(([name, shape]) => {
    const data = salglTensor(p, name)
    if (data.length !== shape.reduce((a, b) => a * b, 1)) throw new Error(`salgl tensor ${name} has ${data.length} values, expected shape ${shape.join('x')}`)
    return [name, { shape, data }]
  }))
  writeTensorFile(file, { note: p.header, tensors })
}

/** Reads a head file; errors name it. */
export function readSalglHead(file: string): SalglParams {
  const { note, tensors } = readTensorFile<SalglHeader>(file)
  if (note?.format !== 'constella-salgl-head') throw new Error(`${file} is not a salgl head`)
  if (note.formatVersion !== 1) throw new Error(`${file}: salgl head format ${note.formatVersion} is not supported`)
  const p: SalglParams = { header: note, tensors: new Map([...tensors].map(([k, v]) => [k, v.data])) }
  for (const [name, shape] of Object.entries(salglShapes(note))) {
    if (salglTensor(p, name).length !== shape.reduce((a, b) => a * b, 1)) throw new Error(`${file}: tensor ${name} does not have shape ${shape.join('x')}`)
  }
  return p
}

/** The salgl head of a trained head's folder, if it has one. */
export function findSalglHead(dir: string): SalglParams | undefined {
  const file = path.join(dir, SALGL_FILES.params)
  return existsSync(file) ? readSalglHead(file) : undefined
}
