/**
 * The graph of one library photo, as the photo view shows it: its nodes by name (the whole photo,
 * then each detector object with its id, class, box and score), the OT adjacency A_ij, each node's
 * heaviest labels in the transport plan, every GAT attention map, the classifier's label scores
 * and how Sinkhorn ended. The head input is rebuilt from stored rows (`graph-input.ts`) and the
 * library's ONNX head graph runs on it through the inference engine, exactly as at indexing, so
 * H equals the photo's stored embedding.
 */
import type { Box } from '../../../shared/domain.js'
import { runHead } from '../analysis/analyze-photo.js'
import { objectNode, PHOTO_NODE } from '../head/graph-embed.js'
import { className, toSearchContext, type SearchTarget } from './context.js'
import { photoGraphInput } from './graph-input.js'
import { requireIndexed } from './library-photos.js'

/** A label of a node's transport plan. */
export interface TransportLabel {
  classId: number
  className: string
  /** The share of the node's mass the plan sends to this label (0..1; a row's shares sum to 1). */
  mass: number
}

/** Another class detected at an object's place. */
export interface AlternativeClass {
  classId: number
  className: string
  /** The best detector score of that class at the place (IoU >= 0.5). */
  score: number
}

/** The whole-photo node. */
export interface PhotoNode {
  kind: 'photo'
}

/** A detector object's node. */
export interface ObjectNode {
  kind: 'object'
  objectId: number
  classId: number
  className: string
  /** In the photo's own pixels. */
  box: Box
  score: number
  /** Other classes detected at the same place (IoU >= 0.5), best first: the object's alternatives. */
  alternatives: AlternativeClass[]
}

/** A node of a photo graph. */
export type PhotoGraphNode = PhotoNode | ObjectNode

/** Everything the photo view draws of a photo's graph. Matrices are row-major, in `nodes` order. */
export interface PhotoGraph {
  photoId: number
  /** The photo node first, then the detector objects, best first. n = nodes.length = objects + 1. */
  nodes: PhotoGraphNode[]
  /** n x n OT adjacency A_ij = cos(T_i, T_j), A_ii = 1. */
  adjacency: Float64Array
  /** Per node, the {@link TOP_TRANSPORT_LABELS} classes its transport plan row sends most mass to, heaviest first. */
  transportTopLabels: TransportLabel[][]
  /** attention[layer][head]: n x n alpha_ij, row i = how node i attends to every node j (rows sum to 1). */
  attention: Float32Array[][]
  /** The head classifier's sigmoid score per class. */
  labelScores: Float32Array
  sinkhorn: { iterations: number; converged: boolean }
  /** H of this run (equal to the stored photo embedding). */
  embedding: Float32Array
  /** 'stored': rebuilt from stored rows; 'reanalysed': the photo was indexed before those rows existed and its file was read again. */
  source: 'stored' | 'reanalysed'
}

/** Labels listed per node in `transportTopLabels`. */
export const TOP_TRANSPORT_LABELS = 5

/** The `count` heaviest classes of a weight row, heaviest first (ties: lower class id), zero weights and `skip` left out. */
function topClasses(weights: ArrayLike<number>, count: number, skip = -1): number[] {
  const order = Array.from({ length: weights.length }, (_, c) => c).filter((c) => c !== skip && weights[c] > 0)
  return order.sort((a, b) => weights[b] - weights[a] || a - b).slice(0, count)
}

/**
 * The graph of indexed library photo `photoId` (see the module comment). Throws `QueryError` for a
 * photo that is not in the library or not indexed, or (indexed by an older version) whose file is gone.
 */
export async function photoGraph(target: SearchTarget, photoId: number, options: { signal?: AbortSignal } = {}): Promise<PhotoGraph> {
  const ctx = toSearchContext(target)
  const photo = requireIndexed(ctx, photoId)
  const { input, objects, source } = await photoGraphInput(ctx, photo, options.signal)
  const graph = await runHead(ctx.analyser, input, {}, options.signal)
  const C = ctx.classNames.length
  const nodes: PhotoGraphNode[] = []
  nodes[PHOTO_NODE] = { kind: 'photo' }
  objects.forEach((o, i) => {
    nodes[objectNode(i)] = {
      kind: 'object', objectId: o.id, classId: o.classId, className: className(ctx, o.classId), box: o.box, score: o.score ?? 0,
      alternatives: topClasses(input.objects[i].evidence, C, o.classId)
        .map((c) => ({ classId: c, className: className(ctx, c), score: input.objects[i].evidence[c] })),
    }
  })
  const plan = graph.transport?.plan
  const transportTopLabels = nodes.map((_, i): TransportLabel[] => {
    if (!plan) return []
    const row = plan.subarray(i * C, (i + 1) * C)
    const total = row.reduce((sum, v) => sum + v, 0)
    return topClasses(row, TOP_TRANSPORT_LABELS).map((c) => ({ classId: c, className: className(ctx, c), mass: row[c] / total }))
  })
  return {
    photoId, nodes, adjacency: graph.adjacency, transportTopLabels, attention: graph.attention, labelScores: graph.labelScores,
    sinkhorn: { iterations: graph.transport?.iterations ?? 0, converged: graph.transport?.converged ?? true },
    embedding: graph.embedding, source,
  }
}
