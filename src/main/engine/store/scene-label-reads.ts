/**
 * The labels scenes count: each photo's effective positive labels (the human row where a person
 * set one, else the model row — as the grid's label filter reads them), in class order.
 */
import { RepositoryBase } from './repository-base.js'

/** Effective positive labels of photos, and where they came from. */
export class SceneLabelReads extends RepositoryBase {
  /** The effective positive class ids of each photo in `photoIds` (every id gets an entry, maybe empty). */
  positives(photoIds: readonly number[]): Map<number, Int32Array> {
    const out = new Map<number, Int32Array>()
    const stmt = this.sql(`SELECT class_id, source, state FROM labels WHERE photo_id = ? ORDER BY class_id, source = 'human' DESC`)
    for (const id of photoIds) {
      const rows = stmt.raw().all(id) as [number, string, string][]
      const keep: number[] = []
      let last = -1
      for (const [classId, , state] of rows) {
        if (classId === last) continue // the human row came first and wins
        last = classId
        if (state === 'positive') keep.push(classId)
      }
      out.set(id, Int32Array.from(keep))
    }
    return out
  }

  /** How many positive labels people set (they replace the model's where present). */
  humanPositives(): number {
    return (this.sql("SELECT count(*) AS n FROM labels WHERE source = 'human' AND state = 'positive'").get() as { n: number }).n
  }

  /** Photos whose effective label of `classId` is positive. */
  photosWith(classId: number): number[] {
    return (this.sql(`SELECT l.photo_id FROM labels l WHERE l.class_id = ? AND l.state = 'positive' AND (l.source = 'human' OR NOT EXISTS (
      SELECT 1 FROM labels h WHERE h.photo_id = l.photo_id AND h.class_id = l.class_id AND h.source = 'human'))`).raw().all(classId) as [number][])
      .map((r) => r[0])
  }
}
