/**
 * Label names a person added beyond the head's classes (migration 003 `vocabulary`). Their class
 * ids start at {@link CUSTOM_CLASS_BASE}, so they never collide with a head's class ids (0..n-1).
 */
import { RepositoryBase } from './repository-base.js'

/** The first class id of an added vocabulary entry. */
export const CUSTOM_CLASS_BASE = 1000

/** One added label name. */
export interface VocabularyEntry {
  classId: number
  name: string
  addedBy: string
  addedAt: number
}

/** Reads and appends `vocabulary`. */
export class VocabularyRepository extends RepositoryBase {
  /** Every added entry, by class id. */
  list(): VocabularyEntry[] {
    return this.sql('SELECT class_id AS classId, name, added_by AS addedBy, added_at AS addedAt FROM vocabulary ORDER BY class_id').all() as VocabularyEntry[]
  }

  /** The entry named `name` (case-insensitive), or undefined. */
  findByName(name: string): VocabularyEntry | undefined {
    return this.sql('SELECT class_id AS classId, name, added_by AS addedBy, added_at AS addedAt FROM vocabulary WHERE name = ?')
      .get(name) as VocabularyEntry | undefined
  }

  /** Adds a name with the next free class id; returns the entry (the existing one if the name is known). */
  add(name: string, addedBy: string): VocabularyEntry {
    const known = this.findByName(name)
    if (known) return known
    const next = this.sql('SELECT max(class_id) AS id FROM vocabulary').get() as { id: number | null }
    const classId = Math.max(CUSTOM_CLASS_BASE, (next.id ?? CUSTOM_CLASS_BASE - 1) + 1)
    const addedAt = this.now()
    this.sql('INSERT INTO vocabulary (class_id, name, added_by, added_at) VALUES (?, ?, ?, ?)').run(classId, name, addedBy, addedAt)
    return { classId, name, addedBy, addedAt }
  }
}
