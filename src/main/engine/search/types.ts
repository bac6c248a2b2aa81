/**
 * Records of search by example: what a query was resolved to, and each result with its
 * explanation. Boxes are in the original photo's pixels; class ids index the head's class list
 * (COCO's 80 for the shipped pack).
 */
import type { Box } from '../../../shared/domain.js'

/**
 * How the user asked:
 * - `photo-id`: a library photo (its stored H and objects);
 * - `photo-file`: a photo file (the library photo with its path or content, else analysed live);
 * - `photo-bytes`: a photo held in memory, e.g. dropped or pasted in the app: decoded with the
 *   indexing guards and analysed live (or recognised by content), never written anywhere;
 *   `name` labels it in messages;
 * - `object-id`: one stored object; `object-ids`: several stored objects as one query, from one
 *   photo or from several;
 * - `boxes`: boxes in photo pixels on a photo file or on a library photo (`photoId`).
 */
export type QuerySpec =
  | { kind: 'photo-id'; photoId: number }
  | { kind: 'photo-file'; file: string }
  | { kind: 'photo-bytes'; bytes: Uint8Array; name?: string }
  | { kind: 'object-id'; objectId: number }
  | { kind: 'object-ids'; objectIds: number[] }
  | { kind: 'boxes'; file: string; boxes: Box[] }
  | { kind: 'boxes'; photoId: number; boxes: Box[] }

/** Where a query object's embedding h_i came from. */
export type QueryObjectOrigin =
  /** A stored object of a library photo. */
  | 'stored'
  /** A detection of a photo analysed for this query (node embedding of the live graph). */
  | 'detected'
  /** A node built from a user box that no detection matched (see `box-nodes.ts`). */
  | 'box'

/** One object of a query, with its SARL-GAT object embedding h_i. */
export interface QueryObject {
  /** Stored object id, when the object is in the library. */
  objectId?: number
  classId: number
  className: string
  box: Box
  /** Detector score, null when unknown (a box drawn by a person). */
  score: number | null
  origin: QueryObjectOrigin
  /** For box queries: IoU of the given box with the detection used (0 for a node built from the box). */
  boxIou?: number
  /** h_i, unit length. */
  embedding: Float32Array
}

/** A query ready to search with. */
export interface ResolvedQuery {
  spec: QuerySpec
  /** 'photo': rank by the photo embedding H; 'objects': rank by the object embeddings, aggregated per photo. */
  mode: 'photo' | 'objects'
  /** 'library' when the query photo is (by path or content) a library photo, else 'outside'. */
  origin: 'library' | 'outside'
  /** The library photo behind the query, if any (for `object-ids`: when all objects are of one photo). */
  photoId?: number
  /** The query photo's file, when there is one. */
  path?: string
  /** For `photo-bytes`: the name given with the bytes. */
  name?: string
  /** H of the query photo (mode 'photo'). */
  photoEmbedding?: Float32Array
  /** Mode 'photo': every object of the query photo; mode 'objects': the chosen objects. */
  objects: QueryObject[]
  /** Positive class ids of the query (photo labels, or the classes of the chosen objects). */
  labels: number[]
  /** Library photos never returned: the query photo and photos with the same content. */
  excludePhotoIds: number[]
}

/** A query object as an explanation shows it. */
export interface MatchedQueryObject {
  /** Index into the query's `objects`. */
  index: number
  objectId?: number
  classId: number
  className: string
  box: Box
}

/** A result object as an explanation shows it. */
export interface MatchedResultObject {
  id: number
  classId: number
  className: string
  box: Box
}

/** One query object matched to one result object by the transport plan. */
export interface ObjectMatch {
  queryObject: MatchedQueryObject
  resultObject: MatchedResultObject
  /** C_ij = 1 - cos(h_i^query, h_j^result). */
  cost: number
  /** Share of the query object's mass the plan sends to this result object (0..1). */
  mass: number
}

/** Why a result was returned. */
export interface Explanation {
  /** Matched pairs, by ascending cost. */
  matches: ObjectMatch[]
  /** Query objects the plan left unmatched (indexes into the query's objects). */
  unmatchedQuery: number[]
  /** Result objects the plan left unmatched (object ids). */
  unmatchedResult: number[]
  /** <T, C> of the whole plan, dummy nodes included. */
  transportCost: number
  /** Class names positive in both the query and the result. */
  sharedLabels: string[]
  /** Positive in the query only. */
  queryOnlyLabels: string[]
  /** Positive in the result only. */
  resultOnlyLabels: string[]
}

/** One search result. */
export interface SearchResult {
  photoId: number
  path: string
  thumbnail: string | null
  /** Cosine similarity of H (mode 'photo'), or the per-photo object aggregate (mode 'objects'). */
  similarity: number
  /** Names of the photo's positive labels (human labels win over model labels). */
  labels: string[]
  /** Mode 'objects': for each query object, the photo's most similar object (absent when none was a candidate). */
  objectHits?: { queryIndex: number; objectId: number; similarity: number }[]
  explanation: Explanation
}

/** Options of `searchLibrary`. */
export interface SearchOptions {
  /** Number of results (default 20). */
  k?: number
  /** Class ids every result must have as a positive label. */
  mustHave?: number[]
  /** Class ids no result may have as a positive label. */
  mustNotHave?: number[]
}
