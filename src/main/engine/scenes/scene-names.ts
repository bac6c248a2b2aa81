/** Class names for scene reads: the head's classes (0..n-1) and the vocabulary people added (ids from 1000). */
import type { Database } from 'better-sqlite3'
import { VocabularyRepository } from '../store/vocabulary-repository.js'

/** A class id -> name function over the head's names and the library's vocabulary. */
export function classNamer(db: Database, headNames: readonly string[]): (classId: number) => string {
  const added = new Map(new VocabularyRepository(db, Date.now).list().map((v) => [v.classId, v.name]))
  return (classId) => headNames[classId] ?? added.get(classId) ?? `class ${classId}`
}
