/**
 * The head's input for a library photo, rebuilt from what indexing stored: F_0 (METHODS.photoFeature)
 * and the photo's class evidence (METHODS.labels) for the photo node; per detector object its F_i
 * (`objects.features`) and class evidence (METHODS.objectEvidence). A photo indexed before these
 * rows were stored is analysed again from its file (one detector pass for F_0 and the evidence;
 * its stored F_i and boxes are kept, so the nodes are exactly its stored objects). Nothing is written.
 */
import { statSync } from 'node:fs'
import type { Detection } from '../../../shared/domain.js'
import { classScoresOf, featurePass, objectEvidence } from '../analysis/analyze-photo.js'
import type { GraphInput } from '../head/graph-embed.js'
import { decodePhoto } from '../pipeline/decode.js'
import { objectFeatures } from '../pipeline/features.js'
import { METHODS } from '../store/embedding-methods.js'
import type { ObjectRecord, PhotoRecord } from '../store/types.js'
import { className, type SearchContext } from './context.js'
import { QueryError } from './query-error.js'

/** A photo's graph input, the stored objects its object nodes are (in node order), and where it came from. */
export interface PhotoGraphInput {
  input: GraphInput
  objects: ObjectRecord[]
  source: 'stored' | 'reanalysed'
}

/** The photo's detector objects: its graph's object nodes, best first (the order indexing gave them). */
export function nodeObjects(ctx: SearchContext, photoId: number): ObjectRecord[] {
  return ctx.objects.listByPhoto(photoId).filter((o) => o.source === 'detector')
}

/** A stored vector of `dims` values, or undefined (missing, or from a head of another size). */
function vectorOf(v: Float32Array | undefined, dims: number): Float32Array | undefined {
  return v && v.length === dims ? v : undefined
}

/** The graph input from stored rows only, or undefined when a row the head needs is missing. */
export function storedGraphInput(ctx: SearchContext, photoId: number, objects: readonly ObjectRecord[]): GraphInput | undefined {
  const { featureDim } = ctx.analyser.head.header
  const C = ctx.classNames.length
  const photoRow = (method: string) => ctx.embeddings.get({ kind: 'photo', photoId }, method)?.vector
  const photoFeature = vectorOf(photoRow(METHODS.photoFeature), featureDim)
  const photoEvidence = vectorOf(photoRow(METHODS.labels), C)
  if (!photoFeature || !photoEvidence) return undefined
  const nodes = objects.map((o) => {
    const feature = vectorOf(ctx.objects.features(o.id), featureDim)
    const evidence = vectorOf(ctx.embeddings.get({ kind: 'object', objectId: o.id }, METHODS.objectEvidence)?.vector, C)
    return feature && evidence ? { feature, classId: o.classId, score: o.score ?? 0, evidence } : undefined
  })
  if (nodes.some((n) => !n)) return undefined
  return { photoFeature, photoEvidence, objects: nodes as GraphInput['objects'] }
}

/** The graph input of a photo indexed before the head's inputs were stored: one detector pass over its file. */
async function reanalysedGraphInput(ctx: SearchContext, photo: PhotoRecord, objects: readonly ObjectRecord[], signal?: AbortSignal): Promise<GraphInput> {
  if (!statSync(photo.path, { throwIfNoEntry: false })?.isFile()) {
    throw new QueryError('no-such-file', `photo ${photo.id} was indexed by an older Constella and its file ${photo.path} is gone; `
      + 'restore the file, or index the folder again')
  }
  const pass = await featurePass(ctx.analyser, await decodePhoto(photo.path), signal)
  const C = ctx.classNames.length
  const { featureDim } = ctx.analyser.head.header
  const asDetections: Detection[] = objects.map((o) => ({ box: o.box, classId: o.classId, score: o.score ?? 0, className: className(ctx, o.classId) }))
  const fresh = objectFeatures(pass.map, asDetections.map((d) => d.box), pass.geometry)
  const evidence = objectEvidence(asDetections, pass.raw, C)
  const stored = ctx.embeddings.get({ kind: 'photo', photoId: photo.id }, METHODS.labels)?.vector
  return {
    photoFeature: fresh.photo,
    photoEvidence: vectorOf(stored, C) ?? classScoresOf(pass.raw, C),
    objects: objects.map((o, i) => ({
      feature: vectorOf(ctx.objects.features(o.id), featureDim) ?? fresh.objects[i], classId: o.classId, score: o.score ?? 0, evidence: evidence[i],
    })),
  }
}

/** The graph input of an indexed library photo: from stored rows, else from its file analysed again. */
export async function photoGraphInput(ctx: SearchContext, photo: PhotoRecord, signal?: AbortSignal): Promise<PhotoGraphInput> {
  const objects = nodeObjects(ctx, photo.id)
  const stored = storedGraphInput(ctx, photo.id, objects)
  if (stored) return { input: stored, objects, source: 'stored' }
  return { input: await reanalysedGraphInput(ctx, photo, objects, signal), objects, source: 'reanalysed' }
}
