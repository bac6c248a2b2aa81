/**
 * Labels: per photo and class, a model row and/or a human row (the human one wins), plus the
 * append-only history of human corrections and their export as partial labels for fine-tuning.
 */
import { commitDurably } from './database.js'
import { RepositoryBase } from './repository-base.js'
import type { LabelCorrection, LabelRecord, LabelSource, LabelState } from './types.js'

interface LabelRow {
  photo_id: number
  class_id: number
  state: LabelState
  source: LabelSource
  model_version: string | null
  confidence: number | null
  updated_at: number
}

interface HistoryRow {
  id: number
  photo_id: number
  content_hash: string
  class_id: number
  old_state: LabelState | null
  old_source: LabelSource | null
  new_state: LabelState
  actor: string
  at: number
  note: string | null
}

const toLabel = (r: LabelRow): LabelRecord => ({
  photoId: r.photo_id, classId: r.class_id, state: r.state, source: r.source,
  modelVersion: r.model_version, confidence: r.confidence, updatedAt: r.updated_at,
})

const toCorrection = (r: HistoryRow): LabelCorrection => ({
  id: r.id, photoId: r.photo_id, contentHash: r.content_hash, classId: r.class_id, oldState: r.old_state,
  oldSource: r.old_source, newState: r.new_state, actor: r.actor, at: r.at, note: r.note,
})

/** A classifier's verdict on one class of a photo. */
export interface ModelLabelInput {
  classId: number
  state: LabelState
  /** Sigmoid probability in [0, 1]. */
  confidence: number
  modelVersion: string
}

/** A person's decision on one class of a photo ("unknown" withdraws an earlier decision). */
export interface CorrectionInput {
  photoId: number
  classId: number
  state: LabelState
  /** Who decided: a user name, or e.g. "import:coco" for imported ground truth. */
  actor: string
  note?: string
}

/** Partial targets of one photo for fine-tuning (ML-SGM partial BCE): +1, -1 or 0 (unknown) per class. */
export interface PartialLabelRow {
  photoId: number
  path: string
  contentHash: string
  targets: Int8Array
}

const TARGET: Record<LabelState, number> = { positive: 1, negative: -1, unknown: 0 }

/** Reads and writes `labels` and `label_history`. */
export class LabelRepository extends RepositoryBase {
  /** Replaces the model labels of a photo; human labels are never touched. */
  setModelLabels(photoId: number, labels: readonly ModelLabelInput[]): void {
    this.db.transaction(() => {
      this.sql("DELETE FROM labels WHERE photo_id = ? AND source = 'model'").run(photoId)
      const insert = this.sql(`INSERT INTO labels (photo_id, class_id, source, state, model_version, confidence, updated_at)
        VALUES (?, ?, 'model', ?, ?, ?, ?)`)
      const at = this.now()
      for (const l of labels) insert.run(photoId, l.classId, l.state, l.modelVersion, l.confidence, at)
    })()
  }

  /** Every label row of a photo, by class then source (human before model). */
  listByPhoto(photoId: number): LabelRecord[] {
    const rows = this.sql('SELECT * FROM labels WHERE photo_id = ? ORDER BY class_id, source').all(photoId) as LabelRow[]
    return rows.map(toLabel)
  }

  /** The label that counts for each class of a photo: the human row if any, else the model row. */
  effective(photoId: number): LabelRecord[] {
    const byClass = new Map<number, LabelRecord>()
    for (const l of this.listByPhoto(photoId)) if (!byClass.has(l.classId)) byClass.set(l.classId, l)
    return [...byClass.values()]
  }

  /**
   * Saves a human correction: the human label and its history entry in one transaction,
   * committed with a full fsync before returning. Throws if the photo does not exist.
   * The workbench edits through `AnnotationService` (engine/annotation) instead, which also
   * appends to the correction log (`edits`, `corrections`) that undo and redo work from.
   */
  correct(input: CorrectionInput): LabelCorrection {
    return commitDurably(this.db, () => {
      const photo = this.sql('SELECT content_hash FROM photos WHERE id = ?').get(input.photoId) as { content_hash: string } | undefined
      if (!photo) throw new Error(`cannot correct labels of photo ${input.photoId}: no such photo`)
      const before = this.sql(`SELECT state, source FROM labels WHERE photo_id = ? AND class_id = ?
        ORDER BY source = 'human' DESC LIMIT 1`).get(input.photoId, input.classId) as { state: LabelState; source: LabelSource } | undefined
      const at = this.now()
      this.sql(`INSERT INTO labels (photo_id, class_id, source, state, model_version, confidence, updated_at, origin)
        VALUES (?, ?, 'human', ?, NULL, NULL, ?, 'hand')
        ON CONFLICT (photo_id, class_id, source) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at, origin = 'hand'`)
        .run(input.photoId, input.classId, input.state, at)
      const info = this.sql(`INSERT INTO label_history (photo_id, content_hash, class_id, old_state, old_source, new_state, actor, at, note)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(input.photoId, photo.content_hash, input.classId, before?.state ?? null,
        before?.source ?? null, input.state, input.actor, at, input.note ?? null)
      return toCorrection(this.sql('SELECT * FROM label_history WHERE id = ?').get(info.lastInsertRowid) as HistoryRow)
    })
  }

  /** The correction log, oldest first; of one photo if given. */
  history(photoId?: number): LabelCorrection[] {
    const rows = (photoId === undefined
      ? this.sql('SELECT * FROM label_history ORDER BY id').all()
      : this.sql('SELECT * FROM label_history WHERE photo_id = ? ORDER BY id').all(photoId)) as HistoryRow[]
    return rows.map(toCorrection)
  }

  /**
   * Partial labels of every photo with at least one human label: +1 known positive, -1 known
   * negative, 0 unknown (no human decision, whatever the model said). Classes >= `numClasses` are ignored.
   */
  exportPartialLabels(numClasses: number): PartialLabelRow[] {
    const rows = this.sql(`SELECT l.photo_id, l.class_id, l.state, p.path, p.content_hash FROM labels l
      JOIN photos p ON p.id = l.photo_id WHERE l.source = 'human' ORDER BY l.photo_id, l.class_id`)
      .all() as { photo_id: number; class_id: number; state: LabelState; path: string; content_hash: string }[]
    const out: PartialLabelRow[] = []
    for (const r of rows) {
      let last = out[out.length - 1]
      if (!last || last.photoId !== r.photo_id) {
        last = { photoId: r.photo_id, path: r.path, contentHash: r.content_hash, targets: new Int8Array(numClasses) }
        out.push(last)
      }
      if (r.class_id < numClasses) last.targets[r.class_id] = TARGET[r.state]
    }
    return out
  }
}
