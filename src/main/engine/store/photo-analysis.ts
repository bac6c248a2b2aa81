/**
 * Writing the analysis of one photo — detector objects, their vectors, model labels, photo
 * vectors and status — as one unit, and copying or clearing it. Callers run these inside a
 * transaction (`LibraryStore` does), so a photo is either fully analysed or still pending.
 */
import type { Database } from 'better-sqlite3'
import type { EmbeddingInput, EmbeddingRepository } from './embedding-repository.js'
import type { ModelLabelInput, LabelRepository } from './label-repository.js'
import type { DetectedObjectInput, ObjectRepository } from './object-repository.js'
import type { PhotoMetadata, PhotoRepository } from './photo-repository.js'

/** A detector object with the vectors computed for it. */
export interface AnalysedObject extends DetectedObjectInput {
  embeddings?: EmbeddingInput[]
}

/** Everything the pipeline computed for one photo. */
export interface PhotoAnalysis {
  /** What decoding found; the photo becomes "indexed". */
  photo: PhotoMetadata
  /** Replace the photo's detector objects (boxes drawn by people are kept). */
  objects: AnalysedObject[]
  /** Replace the photo's model labels (human labels are kept). */
  labels: ModelLabelInput[]
  /** Photo vectors; each replaces the vector of the same method (other methods are kept). */
  embeddings: EmbeddingInput[]
}

/** The repositories the analysis spans. */
export interface AnalysisRepositories {
  db: Database
  photos: PhotoRepository
  objects: ObjectRepository
  labels: LabelRepository
  embeddings: EmbeddingRepository
}

/** Writes one photo's analysis and marks it indexed. Must run inside a transaction. */
export function writeAnalysis(repos: AnalysisRepositories, photoId: number, analysis: PhotoAnalysis): void {
  if (!repos.photos.get(photoId)) throw new Error(`cannot save the analysis of photo ${photoId}: no such photo`)
  const ids = repos.objects.replaceDetected(photoId, analysis.objects)
  analysis.objects.forEach((o, i) => {
    for (const e of o.embeddings ?? []) repos.embeddings.put({ kind: 'object', objectId: ids[i] }, e)
  })
  repos.labels.setModelLabels(photoId, analysis.labels)
  for (const e of analysis.embeddings) repos.embeddings.put({ kind: 'photo', photoId }, e)
  repos.photos.markIndexed(photoId, analysis.photo)
}

/** Deletes what the models computed for a photo (detector objects, photo vectors, model labels); keeps human work. */
export function clearAnalysis(db: Database, photoId: number): void {
  db.prepare("DELETE FROM objects WHERE photo_id = ? AND source = 'detector'").run(photoId)
  db.prepare('DELETE FROM embeddings WHERE photo_id = ? AND object_id IS NULL').run(photoId)
  db.prepare("DELETE FROM labels WHERE photo_id = ? AND source = 'model'").run(photoId)
}

/**
 * Copies the model analysis of photo `from` to photo `to` (same content, another path) and
 * marks `to` indexed. Human labels and boxes are not copied: they stay with the photo a person
 * looked at. Must run inside a transaction.
 */
export function copyAnalysis(db: Database, from: number, to: number): void {
  clearAnalysis(db, to)
  const objects = db.prepare("SELECT id FROM objects WHERE photo_id = ? AND source = 'detector' ORDER BY id").all(from) as { id: number }[]
  const copyObject = db.prepare(`INSERT INTO objects (photo_id, x1, y1, x2, y2, class_id, score, source, model_version, features, created_at)
    SELECT ?, x1, y1, x2, y2, class_id, score, source, model_version, features, created_at FROM objects WHERE id = ?`)
  const copyObjectVectors = db.prepare(`INSERT INTO embeddings (photo_id, object_id, method, model_version, dims, vector, created_at)
    SELECT ?, ?, method, model_version, dims, vector, created_at FROM embeddings WHERE object_id = ?`)
  for (const o of objects) {
    const id = Number(copyObject.run(to, o.id).lastInsertRowid)
    copyObjectVectors.run(to, id, o.id)
  }
  db.prepare(`INSERT INTO embeddings (photo_id, object_id, method, model_version, dims, vector, created_at)
    SELECT ?, NULL, method, model_version, dims, vector, created_at FROM embeddings WHERE photo_id = ? AND object_id IS NULL`).run(to, from)
  db.prepare(`INSERT INTO labels (photo_id, class_id, source, state, model_version, confidence, updated_at)
    SELECT ?, class_id, source, state, model_version, confidence, updated_at FROM labels WHERE photo_id = ? AND source = 'model'`).run(to, from)
  db.prepare(`UPDATE photos SET (status, error, width, height, format, thumbnail, indexed_at) =
    (SELECT 'indexed', NULL, width, height, format, thumbnail, indexed_at FROM photos WHERE id = ?) WHERE id = ?`).run(from, to)
}
