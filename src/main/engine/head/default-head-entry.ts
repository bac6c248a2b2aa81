/**
 * Pack entry for the untrained default SARL-GAT head: its class word vectors come from the GloVe
 * file built just before it, its feature size from the chosen backbone map's output shape.
 */
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { COCO_CLASSES } from '../../../shared/class-names.js'
import type { ConvertedModel } from '../models/manifest.js'
import { WordVectors } from '../pipeline/label-vectors.js'
import { buildDefaultHead } from './default-head.js'
import { buildHeadGraph, HEAD_GRAPH_OUTPUTS } from './head-graph.js'
import { decodeHead } from './head-params.js'

/** The feature map F_i is pooled from, as "model:output" (chosen by measurement; see README). */
export const DEFAULT_FEATURE_SOURCE = 'centernet-mobilenetv3:features_s32'

/** Channel count of a "model:output" feature map among already-built models. */
export function featureChannels(built: Map<string, ConvertedModel>, source: string): number {
  const [model, output] = source.split(':')
  const spec = built.get(model)?.entry.outputs.find((o) => o.name === output)
  if (!spec || typeof spec.shape[1] !== 'number') throw new Error(`feature source ${source} is not an output of the pack`)
  return spec.shape[1]
}

/** The trained default head shipped with the source (recipe and figures: resources/heads/README.md). */
export const SHIPPED_HEAD_FILE = path.join('resources', 'heads', 'sarl-gat-head.bin')

/** The project folder (where package.json is). */
export function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir)
  return dir
}

/**
 * The shipped trained head, when it fits the untrained head the pack would build (same feature
 * map, classes and class word vectors: it was trained from that head); otherwise undefined and
 * the untrained head is built, with a warning when a shipped file exists but does not fit.
 */
function shippedHead(untrained: Uint8Array): Uint8Array | undefined {
  const file = path.join(projectRoot(), SHIPPED_HEAD_FILE)
  if (!existsSync(file)) return undefined
  const bytes = readFileSync(file)
  const a = decodeHead(bytes, file)
  const b = decodeHead(untrained)
  const words = (h: typeof a) => h.tensors.get('classWords') ?? new Float32Array()
  const fits = a.header.featureSource === b.header.featureSource && a.header.featureDim === b.header.featureDim
    && JSON.stringify(a.header.classNames) === JSON.stringify(b.header.classNames)
    && words(a).length === words(b).length && words(a).every((v, k) => Math.abs(v - words(b)[k]) < 1e-6)
  if (!fits) console.warn(`${file} does not fit this pack's feature map or class words; building the untrained default head instead`)
  return fits ? bytes : undefined
}

/** Builds the default head for `featureSource` (default {@link DEFAULT_FEATURE_SOURCE}). */
export async function convertDefaultHead(built: Map<string, ConvertedModel>, featureSource = DEFAULT_FEATURE_SOURCE): Promise<ConvertedModel> {
  const glove = built.get('glove-6b-100d')
  if (!glove) throw new Error('the GloVe vectors must be built before the head')
  const words = WordVectors.fromBytes(glove.bytes)
  const untrained = buildDefaultHead({
    featureDim: featureChannels(built, featureSource),
    featureSource,
    classNames: [...COCO_CLASSES],
    classWords: COCO_CLASSES.map((name) => words.vector(name)),
  })
  const shipped = shippedHead(untrained)
  const bytes = shipped ?? untrained
  return {
    bytes,
    entry: {
      name: 'sarl-gat-head',
      role: 'head',
      file: 'sarl-gat-head.bin',
      source: shipped ? `constella (${SHIPPED_HEAD_FILE}: ${decodeHead(shipped).header.modelVersion})` : 'constella (default head)',
      description: shipped
        ? 'SARL-GAT head fine-tuned on coco-dev (recipe and figures: resources/heads/README.md): node projection, OT settings, 2-layer 8-head GAT, evidence residuals, classifier'
        : 'Untrained default SARL-GAT head: node projection, OT settings, 2-layer 8-head GAT, classifier (replaced by a fine-tuned head later)',
      inputs: [{ name: 'F_i', shape: ['N', featureChannels(built, featureSource)], dtype: 'float32' }],
      outputs: [{ name: 'H', shape: [256], dtype: 'float32' }],
      preprocessing: { featureSource },
    },
  }
}

/**
 * The head's parameters as the ONNX graph the inference engine runs (`head-graph.ts`), derived
 * from the parameter file built just before it; run on one thread (it is tiny, and more threads
 * only add synchronisation).
 */
export async function convertHeadGraph(built: Map<string, ConvertedModel>): Promise<ConvertedModel> {
  const params = built.get('sarl-gat-head')
  if (!params) throw new Error('the head parameters must be built before the head graph')
  const head = decodeHead(params.bytes)
  const h = head.header
  const width = h.heads * h.headDim
  return {
    bytes: buildHeadGraph(head),
    entry: {
      name: 'sarl-gat-head-graph',
      role: 'head-graph',
      file: 'sarl-gat-head.onnx',
      source: 'constella (built from sarl-gat-head)',
      description: 'The SARL-GAT head as one ONNX graph: node projection, OT adjacency (Sinkhorn in a Loop), 2-layer 8-head GAT, mean pool, classifier',
      inputs: [
        { name: 'node_features', shape: ['N', h.featureDim], dtype: 'float32', description: 'F_i; node 0 is the whole photo' },
        { name: 'node_words', shape: ['N', h.wordDim], dtype: 'float32', description: 'w_i' },
        { name: 'node_evidence', shape: ['N', h.classNames.length], dtype: 'float32', description: 'detector class evidence per node' },
      ],
      outputs: [
        { name: HEAD_GRAPH_OUTPUTS.embedding, shape: [width], dtype: 'float32' },
        { name: HEAD_GRAPH_OUTPUTS.nodeEmbeddings, shape: ['N', width], dtype: 'float32' },
        { name: HEAD_GRAPH_OUTPUTS.labelScores, shape: [h.classNames.length], dtype: 'float32' },
        { name: HEAD_GRAPH_OUTPUTS.adjacency, shape: ['N', 'N'], dtype: 'float32' },
        { name: HEAD_GRAPH_OUTPUTS.plan, shape: ['N', h.classNames.length], dtype: 'float32' },
      ],
      preprocessing: { featureSource: h.featureSource, headParams: 'sarl-gat-head', headParamsSha256: createHash('sha256').update(params.bytes).digest('hex') },
      intraOpThreads: 1,
    },
  }
}
