/**
 * One photo through the pipeline: decode -> thumbnail -> analyse (engine process) -> one atomic
 * store write -> index update. A failure of this photo is recorded on it and never thrown.
 */
import type { GraphVariant } from '../head/graph-embed.js'
import { ensureThumbnail } from '../io/thumbnail.js'
import { decodePhoto, type DecodedPhoto } from '../pipeline/decode.js'
import { analyzePhoto, NODE_THRESHOLD, type PhotoAnalysisResult } from '../pipeline/analyze-photo.js'
import type { Library } from './library.js'
import { METHODS } from './store-vector-source.js'

/** Called with every analysed photo (evaluation uses it to compute its extra methods). */
export type AnalysisHook = (photoId: number, photo: DecodedPhoto, result: PhotoAnalysisResult) => Promise<void> | void

/** Outcome of one job. */
export type JobOutcome = { ok: true; objects: number } | { ok: false; reason: string }

/** Adds the stored vectors of an indexed photo (and its objects) to the indexes. */
export function indexStoredPhoto(lib: Library, photoId: number): void {
  const photo = lib.store.embeddings.get({ kind: 'photo', photoId }, METHODS.photo)
  if (photo) lib.indexes.photos.add(photoId, photo.vector)
  for (const o of lib.store.objects.listByPhoto(photoId)) {
    const e = lib.store.embeddings.get({ kind: 'object', objectId: o.id }, METHODS.object)
    if (e) lib.indexes.objects.add(o.id, e.vector)
  }
}

/** Removes a photo and its objects from the indexes (before its rows change or go). */
export function unindexPhoto(lib: Library, photoId: number): void {
  lib.indexes.photos.remove(photoId)
  for (const o of lib.store.objects.listByPhoto(photoId)) lib.indexes.objects.remove(o.id)
}

/** Analyses and stores one photo. */
export async function runPhotoJob(lib: Library, photoId: number, file: string, hook?: AnalysisHook, variant?: GraphVariant): Promise<JobOutcome> {
  let decoded: DecodedPhoto
  let result: PhotoAnalysisResult
  let thumbnail: string | undefined
  try {
    decoded = await decodePhoto(file)
    const hash = lib.store.photos.get(photoId)?.contentHash
    thumbnail = hash ? await ensureThumbnail(lib.paths.thumbsDir, hash, decoded.rgb, decoded.width, decoded.height) : undefined
    result = await analyzePhoto(lib.parts, decoded, variant)
    await hook?.(photoId, decoded, result)
  } catch (err) {
    const reason = (err as Error).message
    unindexPhoto(lib, photoId)
    lib.store.saveFailure(photoId, reason)
    return { ok: false, reason }
  }
  const { graph, detections } = result
  const detectorVersion = lib.versions.detector
  const headVersion = lib.versions.head
  unindexPhoto(lib, photoId)
  lib.store.saveAnalysis(photoId, {
    photo: { width: decoded.width, height: decoded.height, format: decoded.format, thumbnail },
    objects: detections.map((d, i) => ({
      box: { x1: d.box[0], y1: d.box[1], x2: d.box[2], y2: d.box[3] },
      classId: d.classId,
      score: d.score,
      modelVersion: detectorVersion,
      features: result.objectFeatures[i],
      embeddings: [{ method: METHODS.object, modelVersion: headVersion, vector: graph.nodeEmbeddings[i + 1] }],
    })),
    labels: [...result.classScores].flatMap((score, classId) =>
      score >= NODE_THRESHOLD ? [{ classId, state: 'positive' as const, confidence: score, modelVersion: detectorVersion }] : []),
    embeddings: [
      { method: METHODS.photo, modelVersion: headVersion, vector: graph.embedding },
      { method: METHODS.labels, modelVersion: detectorVersion, vector: result.classScores },
    ],
  })
  indexStoredPhoto(lib, photoId)
  return { ok: true, objects: detections.length }
}
