/** Plain JSON shapes of a resolved query (embeddings left out) for the CLI and the API. */
import type { Box } from '../store/types.js'
import type { QueryObjectOrigin, QuerySpec, ResolvedQuery } from './types.js'

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
  spec: QuerySpec
  mode: ResolvedQuery['mode']
  origin: ResolvedQuery['origin']
  photoId?: number
  path?: string
  labels: string[]
  objects: QueryObjectJson[]
  excludedPhotoIds: number[]
}

/** The JSON view of a resolved query; class names from `classNames`. */
export function queryToJson(query: ResolvedQuery, classNames: readonly string[]): QueryJson {
  return {
    spec: query.spec,
    mode: query.mode,
    origin: query.origin,
    ...(query.photoId !== undefined ? { photoId: query.photoId } : {}),
    ...(query.path !== undefined ? { path: query.path } : {}),
    labels: query.labels.map((c) => classNames[c] ?? `class ${c}`),
    objects: query.objects.map((o) => ({
      ...(o.objectId !== undefined ? { objectId: o.objectId } : {}),
      class: o.className, classId: o.classId, box: o.box, score: o.score, origin: o.origin,
      ...(o.boxIou !== undefined ? { boxIou: o.boxIou } : {}),
    })),
    excludedPhotoIds: query.excludePhotoIds,
  }
}
