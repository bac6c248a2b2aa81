/**
 * The review queue's orders, as keyset pages over (score desc, photo id):
 *
 * - uncertainty: the model label nearest to a coin toss, 1 - |2p - 1| (p = model confidence),
 *   over the classes no person has decided yet;
 * - disagreement: how far the model is from a person's label, 1 - p for a human positive and p for
 *   a human negative (p = 0 when the model kept no label for the class: below the node threshold).
 *
 * Only indexed photos (the model has spoken) and classes the model knows (class id < `modelClasses`)
 * count. Each page aggregates the labels table (one pass; ~0.1 s per 100,000 label rows).
 */
import { RepositoryBase } from './repository-base.js'
import type { LabelState } from './types.js'

/** How the queue is ordered. */
export type ReviewOrder = 'uncertainty' | 'disagreement'

/** One photo of the queue, with the label that put it there. */
export interface ReviewQueueItem {
  photoId: number
  path: string
  /** 0..1, higher first. */
  score: number
  classId: number
  /** The model's confidence for that class (null: the model kept no label for it). */
  modelConfidence: number | null
  /** The person's state for that class (disagreement), null for uncertainty. */
  humanState: LabelState | null
}

/** Where a page starts: after this (score, photo id). */
export interface ReviewCursor {
  score: number
  photoId: number
}

const UNCERTAINTY = `SELECT l.photo_id AS photoId, p.path AS path, max(1.0 - abs(2.0 * l.confidence - 1.0)) AS score,
    l.class_id AS classId, l.confidence AS modelConfidence, NULL AS humanState
  FROM labels l JOIN photos p ON p.id = l.photo_id
  WHERE l.source = 'model' AND l.confidence IS NOT NULL AND l.class_id < :classes AND p.status = 'indexed'
    AND (:reviewed OR p.reviewed_at IS NULL)
    AND NOT EXISTS (SELECT 1 FROM labels h WHERE h.photo_id = l.photo_id AND h.class_id = l.class_id AND h.source = 'human')
  GROUP BY l.photo_id`

const DISAGREEMENT = `SELECT d.photoId, d.path, max(d.score) AS score, d.classId, d.modelConfidence, d.humanState FROM (
    SELECT h.photo_id AS photoId, p.path AS path, h.class_id AS classId, m.confidence AS modelConfidence, h.state AS humanState,
      CASE h.state WHEN 'positive' THEN 1.0 - ifnull(m.confidence, 0.0) ELSE ifnull(m.confidence, 0.0) END AS score
    FROM labels h JOIN photos p ON p.id = h.photo_id
      LEFT JOIN labels m ON m.photo_id = h.photo_id AND m.class_id = h.class_id AND m.source = 'model'
    WHERE h.source = 'human' AND h.state IN ('positive', 'negative') AND h.class_id < :classes AND p.status = 'indexed'
      AND (:reviewed OR p.reviewed_at IS NULL)) d
  GROUP BY d.photoId`

/** Reads the review queue. */
export class ReviewQueueRepository extends RepositoryBase {
  /**
   * A page of the queue, best first: photos with score > 0, after `cursor` if given. Reviewed
   * photos are left out unless `includeReviewed`.
   */
  page(options: { order: ReviewOrder; modelClasses: number; limit: number; cursor?: ReviewCursor; includeReviewed?: boolean }): ReviewQueueItem[] {
    const base = options.order === 'uncertainty' ? UNCERTAINTY : DISAGREEMENT
    const c = options.cursor
    const sql = `SELECT * FROM (${base}) WHERE score > 0 ${c ? 'AND (score < :score OR (score = :score AND photoId > :after))' : ''}
      ORDER BY score DESC, photoId LIMIT :limit`
    return this.sql(sql).all({
      classes: options.modelClasses, reviewed: options.includeReviewed ? 1 : 0, limit: Math.min(Math.max(options.limit, 1), 1000),
      ...(c ? { score: c.score, after: c.photoId } : {}),
    }) as ReviewQueueItem[]
  }
}
