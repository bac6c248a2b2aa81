/**
 * The graph embedding of one photo (MLIR-SARL-GAT section 3.1, with the whole photo as an extra
 * node x^0 as in ML-SGM): nodes V'_i = sigma(W [F_i || w_i] + b) (eq. 1-2), an optimal-transport
 * adjacency between objects through all C label vectors (eq. 3-4), a 2-layer multi-head GAT
 * (eq. 5-8) and a mean pool, L2-normalised, as the photo embedding H (eq. 9); the sigmoid
 * classifier (eq. 10) gives label scores. The whole photo is node {@link PHOTO_NODE}.
 */
import { gatLayer, gcnLayer, type GatLayerParams } from '../../../shared/math/gat.js'
import { adjacencyFromPlan, labelMarginal, sinkhorn } from '../../../shared/math/sinkhorn.js'
import { cosine, dotAt, l2normalize, matVec } from '../../../shared/math/vector.js'
import { CLASSIFIER_EVIDENCE, EVIDENCE_RESIDUAL, type HeadParams, tensor } from './head-params.js'

/** One detected object as the head sees it. */
export interface GraphObject {
  /** Pooled RoIAlign feature F_i (featureDim). */
  feature: Float32Array
  classId: number
  score: number
  /**
   * The object's class distribution: per class, the best detector score at its place (numClasses
   * scores in [0,1]). Its label vector w_i comes from it ({@link objectWord}) and the OT cost reads it.
   */
  evidence: Float32Array
}

/** Inputs of one photo. */
export interface GraphInput {
  /** Global average pool of the feature map: F_0 of the whole-photo node. */
  photoFeature: Float32Array
  /** Per-class max detection score of the photo (numClasses). */
  photoEvidence: Float32Array
  objects: GraphObject[]
}

/** Variants measured by `constella eval` (the paper's Table 5 ablations). */
export interface GraphVariant {
  adjacency?: 'ot' | 'cosine'
  labelVectors?: boolean
  layer?: 'gat' | 'gcn'
}

/**
 * Where the nodes sit in every n x n matrix (adjacency, attention) and n x C plan of a graph: the
 * whole-photo node at {@link PHOTO_NODE}, then object i of `GraphInput.objects` at
 * {@link objectNode}(i). Read node rows through these, never through offsets of your own.
 */
export const PHOTO_NODE = 0

/** The matrix row (and column) of object `objectIndex` of the graph's input. */
export function objectNode(objectIndex: number): number {
  return objectIndex + 1
}

/** The embedding with everything the UI explains it by. */
export interface GraphEmbedding {
  /** H, unit length. */
  embedding: Float32Array
  /** h_0: the whole-photo node's embedding, unit length. */
  photoNode: Float32Array
  /** h_i of each object, in the order of `GraphInput.objects`, unit length: object-level search keys. */
  objectNodes: Float32Array[]
  /** n x n adjacency used by the GAT (row-major; node order: {@link PHOTO_NODE}, {@link objectNode}). */
  adjacency: Float64Array
  /** attention[layer][head] = n x n alpha (rows sum to 1; same node order). */
  attention: Float32Array[][]
  /** The OT problem: `plan` is n x C (row-major; same node order), each row carrying 1/n of the mass. */
  transport?: { iterations: number; converged: boolean; marginalError: number; cost: number; plan: Float64Array }
  /** Sigmoid label scores (numClasses). */
  labelScores: Float32Array
}

function activate(x: Float32Array, kind: HeadParams['header']['nodeActivation']): Float32Array {
  if (kind === 'identity') return x
  return x.map((v) => (kind === 'relu' ? Math.max(v, 0) : kind === 'tanh' ? Math.tanh(v) : 1 / (1 + Math.exp(-v))))
}

/** Evidence-weighted mean of the unit class word vectors (zero when there is no evidence). */
function evidenceInWordSpace(head: HeadParams, evidence: Float32Array): Float32Array {
  const { wordDim, classNames } = head.header
  const words = tensor(head, 'classWords')
  const out = new Float32Array(wordDim)
  for (let c = 0; c < classNames.length; c++) {
    if (evidence[c] <= 0) continue
    for (let k = 0; k < wordDim; k++) out[k] += evidence[c] * words[c * wordDim + k]
  }
  return out
}

/** The class word vectors at unit length, once per head (classes x wordDim, row-major). */
const unitWordCache = new WeakMap<HeadParams, Float32Array>()
export function unitClassWords(head: HeadParams): Float32Array {
  let unit = unitWordCache.get(head)
  if (!unit) {
    const { wordDim } = head.header
    const words = tensor(head, 'classWords')
    unit = new Float32Array(words.length)
    for (let c = 0; c < words.length / wordDim; c++) unit.set(l2normalize(words.subarray(c * wordDim, (c + 1) * wordDim)), c * wordDim)
    unitWordCache.set(head, unit)
  }
  return unit
}

function layerParams(head: HeadParams, layer: number): GatLayerParams {
  const h = head.header
  return {
    heads: h.heads,
    dIn: layer === 0 ? h.nodeDim : h.heads * h.headDim,
    dOut: h.headDim,
    weight: tensor(head, `gat${layer}.weight`),
    attnSrc: tensor(head, `gat${layer}.attnSrc`),
    attnDst: tensor(head, `gat${layer}.attnDst`),
    activation: h.gatActivation,
    negativeSlope: h.negativeSlope,
  }
}

/** One node of the graph: its visual feature F_i, label vector w_i and class evidence. */
export interface GraphNode {
  feature: Float32Array
  word: Float32Array
  evidence: Float32Array
}

/**
 * Power of the class scores weighting an object's class words in its label vector. Measured with
 * `constella eval` on coco-dev (retrieval mAP / NDCG@10 of sarl-gat): 1 -> 77.05 / 55.45, 1.5 ->
 * 77.44 / 55.38, 2 -> 77.57 / 54.88, 3 -> 77.54 / 54.35; the best class alone 77.31 / 53.71.
 */
export const OBJECT_WORD_POWER = 2

/**
 * The label vector w_i of an object (before the head normalises it): the mean of the unit class
 * word vectors over its class distribution, class c weighted by d_c^{@link OBJECT_WORD_POWER},
 * with d = `evidence` and d[classId] raised to at least `score`. One class alone gives that class's
 * word; a merged object (cup 0.47, vase 0.35, bottle 0.33 on one box) leans to its best class
 * but carries the others. With no score anywhere it is the word of `classId`.
 */
export function objectWord(head: HeadParams, object: Pick<GraphObject, 'classId' | 'score' | 'evidence'>): Float32Array {
  const { wordDim } = head.header
  const unit = unitClassWords(head)
  const out = new Float32Array(wordDim)
  const weight = (c: number) => (c === object.classId ? Math.max(object.evidence[c], object.score) : object.evidence[c]) ** OBJECT_WORD_POWER
  let total = 0
  for (let c = 0; c < head.header.classNames.length; c++) {
    const w = weight(c)
    if (!(w > 0)) continue
    total += w
    for (let k = 0; k < wordDim; k++) out[k] += w * unit[c * wordDim + k]
  }
  if (total === 0) return unit.slice(object.classId * wordDim, (object.classId + 1) * wordDim)
  for (let k = 0; k < wordDim; k++) out[k] /= total
  return out
}

/**
 * The nodes of a photo's graph, in matrix order: the whole photo (its word vector is the
 * evidence-weighted mean of the class words), then one node per object with its label vector
 * from its class distribution ({@link objectWord}). Both head implementations take their nodes from here.
 */
export function graphNodes(head: HeadParams, input: GraphInput): GraphNode[] {
  return [
    { feature: input.photoFeature, word: evidenceInWordSpace(head, input.photoEvidence), evidence: input.photoEvidence },
    ...input.objects.map((o) => ({ feature: o.feature, word: objectWord(head, o), evidence: o.evidence })),
  ]
}

/** Computes H, the node embeddings, the OT adjacency and every attention map of one photo. */
export function embedGraph(head: HeadParams, input: GraphInput, variant: GraphVariant = {}): GraphEmbedding {
  const h = head.header
  const K = h.classNames.length
  const useWords = variant.labelVectors !== false
  const nodes = graphNodes(head, input)
  const n = nodes.length
  // eq. 1-2: V'_i = sigma(W [F_i || w_i] + b) on unit-length F_i and w_i
  const W = tensor(head, 'node.weight')
  const b = tensor(head, 'node.bias')
  const inDim = h.featureDim + h.wordDim
  const x: Float32Array = new Float32Array(n * h.nodeDim)
  nodes.forEach((node, i) => {
    const cat = new Float32Array(inDim)
    cat.set(l2normalize(node.feature), 0)
    if (useWords) cat.set(l2normalize(node.word), h.featureDim)
    const v = matVec(W, h.nodeDim, inDim, cat)
    for (let k = 0; k < h.nodeDim; k++) v[k] += b[k]
    x.set(activate(v, h.nodeActivation), i * h.nodeDim)
  })
  // eq. 3-4: C_ik = 1 - cos(P F_i, w_k) over all K labels, entropic OT, A from the plan
  let adjacency: Float64Array
  let transport: GraphEmbedding['transport']
  if (variant.adjacency === 'cosine') {
    adjacency = new Float64Array(n * n)
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      adjacency[i * n + j] = i === j ? 1 : Math.max(0, cosine(x.subarray(i * h.nodeDim, (i + 1) * h.nodeDim), x.subarray(j * h.nodeDim, (j + 1) * h.nodeDim)))
    }
  } else {
    const P = h.projection === 'linear' ? tensor(head, 'projection.weight') : undefined
    const unitWords = unitClassWords(head)
    const cost = new Float64Array(n * K)
    nodes.forEach((node, i) => {
      const pf = l2normalize(P ? matVec(P, h.wordDim, h.featureDim, l2normalize(node.feature)) : evidenceInWordSpace(head, node.evidence))
      for (let k = 0; k < K; k++) cost[i * K + k] = 1 - dotAt(pf, 0, unitWords, k * h.wordDim, h.wordDim)
    })
    const a = new Float64Array(n).fill(1 / n)
    const plan = sinkhorn(cost, a, labelMarginal(cost, a, K, h.ot.labelTemperature), h.ot)
    adjacency = adjacencyFromPlan(plan)
    transport = { iterations: plan.iterations, converged: plan.converged, marginalError: plan.marginalError, cost: plan.cost, plan: plan.plan }
  }
  // eq. 5-8: two multi-head layers restricted to / weighted by A
  const attention: Float32Array[][] = []
  let features: Float32Array = x
  for (let l = 0; l < h.layers; l++) {
    const out = (variant.layer === 'gcn' ? gcnLayer : gatLayer)(features, n, adjacency, layerParams(head, l))
    features = out.features
    attention.push(out.attention)
  }
  // eq. 9: mean pool; eq. 10: sigmoid classifier
  const width = h.heads * h.headDim
  const node = (i: number) => l2normalize(features.subarray(i * width, (i + 1) * width))
  const pooled = new Float32Array(width)
  for (let i = 0; i < n; i++) for (let k = 0; k < width; k++) pooled[k] += features[i * width + k] / n
  // format 2: the detector's evidence as a residual path, H = unit(mean_i h_i + E unit(e_0))
  const residual = head.tensors.get(EVIDENCE_RESIDUAL)
  if (residual) {
    const r = matVec(residual, width, K, l2normalize(nodes[PHOTO_NODE].evidence))
    for (let k = 0; k < width; k++) pooled[k] += r[k]
  }
  const embedding = l2normalize(pooled)
  const logits = matVec(tensor(head, 'classifier.weight'), K, width, embedding)
  const direct = head.tensors.get(CLASSIFIER_EVIDENCE)
  if (direct) {
    const r = matVec(direct, K, K, nodes[PHOTO_NODE].evidence)
    for (let c = 0; c < K; c++) logits[c] += r[c]
  }
  const bias = tensor(head, 'classifier.bias')
  const labelScores = logits.map((v, c) => 1 / (1 + Math.exp(-(v + bias[c]))))
  const photoNode = node(PHOTO_NODE)
  const objectNodes = input.objects.map((_, i) => node(objectNode(i)))
  return { embedding, photoNode, objectNodes, adjacency, attention, transport, labelScores }
}
