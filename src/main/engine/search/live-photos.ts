/**
 * Queries by a photo the library does not hold (a file elsewhere, or bytes in memory): analysed
 * live by the same detector and head graph as indexing. Nothing is written to the store, the
 * indexes or the disk.
 */
import path from 'node:path'
import { analyzePhoto, NODE_THRESHOLD, type PhotoAnalysisResult } from '../analysis/analyze-photo.js'
import type { PhotoPixels } from '../pipeline/detect.js'
import { className, type SearchContext } from './context.js'
import type { QueryObject, QuerySpec, ResolvedQuery } from './types.js'

/** Detection score from which a live-analysed photo counts a class as a positive label (as indexing does). */
export const LIVE_LABEL_THRESHOLD = NODE_THRESHOLD

/** The detections of a live analysis as query objects, with their node embeddings h_i. */
export function detectedObjects(ctx: SearchContext, analysis: PhotoAnalysisResult): QueryObject[] {
  return analysis.detections.map((d, i) => ({
    classId: d.classId, className: className(ctx, d.classId), box: d.box, score: d.score,
    origin: 'detected' as const, embedding: analysis.graph.objectNodes[i],
  }))
}

/** Where an outside photo came from: a file, or bytes with an optional name. */
export type OutsideSource = { file: string } | { name?: string }

/** Analyses an outside photo (decoded pixels) and makes it a photo query. */
export async function outsidePhotoQuery(ctx: SearchContext, spec: QuerySpec, photo: PhotoPixels, source: OutsideSource): Promise<ResolvedQuery> {
  const analysis = await analyzePhoto(ctx.analyser, photo)
  const labels = [...analysis.classScores].flatMap((s, c) => (s >= LIVE_LABEL_THRESHOLD ? [c] : []))
  const where = 'file' in source ? { path: path.resolve(source.file) } : source.name !== undefined ? { name: source.name } : {}
  return {
    spec, mode: 'photo', origin: 'outside', ...where, photoEmbedding: analysis.graph.embedding,
    objects: detectedObjects(ctx, analysis), labels, excludePhotoIds: [],
  }
}
