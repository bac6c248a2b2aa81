/** Plain JSON shapes of a resolved query (embeddings and photo bytes left out) for the CLI and the API. */
import type { Box } from '../../../shared/domain.js'
import type { PhotoGraph } from './photo-graph.js'
import type { QueryObjectOrigin, QuerySpec, ResolvedQuery } from './types.js'

/** A query spec as JSON: photo bytes become their length. */
export type QuerySpecJson =
  | Exclude<QuerySpec, { kind: 'photo-bytes' }>
  | { kind: 'photo-bytes'; name?: string; byteLength: number }

/** The JSON view of a query spec. */
export function specToJson(spec: QuerySpec): QuerySpecJson {
  if (spec.kind !== 'photo-bytes') return spec
  return { kind: 'photo-bytes', ...(spec.name !== undefined ? { name: spec.name } : {}), byteLength: spec.bytes.byteLength }
}

/** A query object without its embedding. */
export interface QueryObjectJson {
  objectId?: number
  class: string
  classId: number
  box: Box
  score: number | null
  origin: QueryObjectOrigin
  boxIou?: number
}

/** A resolved query without embeddings. */
export interface QueryJson {
  spec: QuerySpecJson
  mode: ResolvedQuery['mode']
  origin: ResolvedQuery['origin']
  photoId?: number
  path?: string
  name?: string
  labels: string[]
  objects: QueryObjectJson[]
  excludedPhotoIds: number[]
}

/** The JSON view of a resolved query; class names from `classNames`. */
export function queryToJson(query: ResolvedQuery, classNames: readonly string[]): QueryJson {
  return {
    spec: specToJson(query.spec),
    mode: query.mode,
    origin: query.origin,
    ...(query.photoId !== undefined ? { photoId: query.photoId } : {}),
    ...(query.path !== undefined ? { path: query.path } : {}),
    ...(query.name !== undefined ? { name: query.name } : {}),
    labels: query.labels.map((c) => classNames[c] ?? `class ${c}`),
    objects: query.objects.map((o) => ({
      ...(o.objectId !== undefined ? { objectId: o.objectId } : {}),
      class: o.className, classId: o.classId, box: o.box, score: o.score, origin: o.origin,
      ...(o.boxIou !== undefined ? { boxIou: o.boxIou } : {}),
    })),
    excludedPhotoIds: query.excludePhotoIds,
  }
}

/** A photo graph as plain JSON: matrices as arrays of rows (n x n), vectors as arrays. */
export interface PhotoGraphJson extends Omit<PhotoGraph, 'adjacency' | 'attention' | 'labelScores' | 'embedding'> {
  adjacency: number[][]
  /** attention[layer][head][i][j] = alpha_ij. */
  attention: number[][][][]
  labelScores: number[]
  embedding: number[]
}

/** The rows of an n x n row-major matrix. */
function rows(m: ArrayLike<number>, n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => m[i * n + j]))
}

/** The JSON view of a photo graph (for the API: typed arrays do not survive JSON.stringify). */
export function photoGraphToJson(graph: PhotoGraph): PhotoGraphJson {
  const n = graph.nodes.length
  return {
    ...graph,
    adjacency: rows(graph.adjacency, n),
    attention: graph.attention.map((layer) => layer.map((alpha) => rows(alpha, n))),
    labelScores: Array.from(graph.labelScores),
    embedding: Array.from(graph.embedding),
  }
}
