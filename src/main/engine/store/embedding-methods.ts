/**
 * The embedding methods a library stores (the `method` column of `embeddings`): what each vector
 * is. Indexing writes them (`library/photo-job.ts`), search and the photo view read them.
 */
export const METHODS = {
  /** H: the SARL-GAT photo embedding (indexed in the photo index). */
  photo: 'sarl-gat',
  /** h_i: the SARL-GAT object embedding (indexed in the object index). */
  object: 'sarl-gat-object',
  /** Photo row: the detector's per-class max scores, the photo node's class evidence (label evidence). */
  labels: 'label-histogram',
  /** Photo row: F_0, the global average pool of the head's feature map (the photo node's visual feature). */
  photoFeature: 'feature-gap',
  /** Object row: the object node's class evidence (per class, the best same-place detection score). */
  objectEvidence: 'class-evidence',
} as const

/** One of {@link METHODS}. */
export type EmbeddingMethod = (typeof METHODS)[keyof typeof METHODS]
