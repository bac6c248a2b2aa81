/**
 * Records of the scene channels (SALGL scenes, per-scene label co-occurrence, the embedding map);
 * see `api-contract.ts`. Pure TS.
 */

/** A label with how characteristic it is of a scene. */
export interface SceneLabel {
  classId: number
  name: string
  /** How much more often the label occurs in the scene than in the library (lift, >= 0). */
  lift: number
  /** Share of the scene's photos with the label (0..1). */
  share: number
}

/** One scene found without scene labels. */
export interface SceneInfo {
  id: number
  /** A name made from its characteristic labels, e.g. "car · traffic light · bus". */
  name: string
  /** Photos assigned to it (argmax of pi). */
  size: number
  /** Labels by how characteristic they are (what sets the scene apart, not just the most frequent). */
  labels: SceneLabel[]
  /** Photos most typical of it (highest pi_k), best first. */
  typical: number[]
  /** Its strongest label pairs: [a, b, P(b | a) in this scene]. */
  pairs: [string, string, number][]
}

/** The scenes of the library. */
export interface ScenesOverview {
  /** False until scenes were computed (run `scenes.compute`). */
  ready: boolean
  k: number
  /** Photos with a scene assignment. */
  photos: number
  /**
   * Balance of the assignment: the entropy of the mean assignment over the library (ln K when
   * perfectly balanced) and the mean per-photo entropy (0 when every photo is sure), as SALGL Table 5.
   */
  entropy: { batch: number; perPhoto: number; max: number }
  /** Which labels the co-occurrence counts used. */
  labelSource: string
  computedAt: number | null
  /** Photos indexed or relabelled since: the assignment is out of date for them. */
  stalePhotos: number
  scenes: SceneInfo[]
}

/** A co-occurrence matrix over some labels: P[i][j] = P(label j | label i) in the scene. */
export interface CooccurrenceMatrix {
  /** A scene id, or 'global' for the whole library. */
  scene: number | 'global'
  photos: number
  classIds: number[]
  names: string[]
  /** Photos carrying each label (the diagonal of C). */
  counts: number[]
  /** Conditional probabilities, row-major nested: row i given label i. */
  p: number[][]
}

/** The 2-D layout of the library's photo embeddings. Arrays are base64 of little-endian typed arrays. */
export interface EmbeddingMap {
  /** False until the map job ran. */
  ready: boolean
  count: number
  /** Int32Array of photo ids. */
  ids: string
  /** Float32Array of x, y interleaved (2 per photo). */
  xy: string
  /** Uint8Array of each photo's scene (255: none). */
  scenes: string
  /** When `classId` was asked: Uint8Array, 1 where the photo has the label (effective, positive). */
  label?: string
  computedAt: number | null
}
