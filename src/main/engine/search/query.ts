/**
 * Resolves what the user searches by into embeddings: a library photo (stored H and h_i), a photo
 * file (stored vectors when the library holds it by path or content, else analysed live — an
 * outside photo; nothing is written to the store), one stored object (its h_i), or boxes drawn on
 * a photo (the h_i of the objects they mark; see `box-nodes.ts`).
 */
import { statSync } from 'node:fs'
import path from 'node:path'
import { hashFile } from '../io/content-hash.js'
import type { Library } from '../library/library.js'
import { METHODS } from '../library/store-vector-source.js'
import { analyzePhoto, NODE_THRESHOLD, type PhotoAnalysisResult } from '../pipeline/analyze-photo.js'
import { decodePhoto, type DecodedPhoto } from '../pipeline/decode.js'
import { photoSize } from '../pipeline/detect.js'
import type { PhotoRecord } from '../store/types.js'
import { BOX_MATCH_IOU, bestOverlap, clampBox, objectsForBoxes, toPixelBox, toStoreBox } from './box-nodes.js'
import { PhotoLabelCache } from './photo-labels.js'
import type { QueryObject, QuerySpec, ResolvedQuery } from './types.js'

/** Detection score from which a live-analysed photo counts a class as a positive label (as indexing does). */
export const LIVE_LABEL_THRESHOLD = NODE_THRESHOLD

/** Why a query cannot be resolved. */
export type QueryErrorCode = 'no-such-file' | 'no-such-photo' | 'not-indexed' | 'no-such-object' | 'no-embedding' | 'bad-box' | 'empty-library'

/** A query that cannot be run; the message says what is wrong and what to do. */
export class QueryError extends Error {
  constructor(readonly code: QueryErrorCode, message: string) {
    super(message)
    this.name = 'QueryError'
  }
}

/** The stored objects of a photo that have an object embedding, as query objects. */
export function storedObjects(lib: Library, photoId: number): QueryObject[] {
  const names = lib.head.header.classNames
  return lib.store.objects.listByPhoto(photoId).flatMap((o) => {
    const e = lib.store.embeddings.get({ kind: 'object', objectId: o.id }, METHODS.object)
    return e ? [{ objectId: o.id, classId: o.classId, className: names[o.classId] ?? `class ${o.classId}`, box: o.box, score: o.score, origin: 'stored' as const, embedding: e.vector }] : []
  })
}

/** The indexed library photo with this file's path or content, if any. */
export async function findLibraryPhoto(lib: Library, file: string): Promise<PhotoRecord | undefined> {
  if (!statSync(file, { throwIfNoEntry: false })?.isFile()) throw new QueryError('no-such-file', `${file} is not a file`)
  const byPath = lib.store.photos.findByPath(path.resolve(file))
  if (byPath?.status === 'indexed') return byPath
  return lib.store.photos.findByHash(await hashFile(file)).find((p) => p.status === 'indexed')
}

function requireIndexed(lib: Library, photoId: number): PhotoRecord {
  const photo = lib.store.photos.get(photoId)
  if (!photo) throw new QueryError('no-such-photo', `photo ${photoId} is not in the library`)
  if (photo.status !== 'indexed') {
    throw new QueryError('not-indexed', `photo ${photoId} (${photo.path}) is ${photo.status}${photo.error ? `: ${photo.error}` : ''}; run constella index again`)
  }
  return photo
}

/** The photo and every photo with the same content: never a result of its own query. */
function sameContent(lib: Library, photo: PhotoRecord): number[] {
  return [...new Set([photo.id, ...lib.store.photos.findByHash(photo.contentHash).map((p) => p.id)])]
}

function libraryPhotoQuery(lib: Library, spec: QuerySpec, photo: PhotoRecord): ResolvedQuery {
  const h = lib.store.embeddings.get({ kind: 'photo', photoId: photo.id }, METHODS.photo)
  if (!h) throw new QueryError('no-embedding', `photo ${photo.id} has no ${METHODS.photo} embedding; run constella index again`)
  return {
    spec, mode: 'photo', origin: 'library', photoId: photo.id, path: photo.path, photoEmbedding: h.vector,
    objects: storedObjects(lib, photo.id), labels: [...new PhotoLabelCache(lib.store).positives(photo.id)].sort((a, b) => a - b),
    excludePhotoIds: sameContent(lib, photo),
  }
}

async function analyseFile(lib: Library, file: string): Promise<{ photo: DecodedPhoto; analysis: PhotoAnalysisResult }> {
  const photo = await decodePhoto(file)
  return { photo, analysis: await analyzePhoto(lib.parts, photo) }
}

function detectedObjects(lib: Library, analysis: PhotoAnalysisResult): QueryObject[] {
  return analysis.detections.map((d, i) => ({
    classId: d.classId, className: lib.head.header.classNames[d.classId], box: toStoreBox(d.box), score: d.score,
    origin: 'detected' as const, embedding: analysis.graph.nodeEmbeddings[i + 1],
  }))
}

async function outsidePhotoQuery(lib: Library, spec: QuerySpec, file: string): Promise<ResolvedQuery> {
  const { analysis } = await analyseFile(lib, file)
  const labels = [...analysis.classScores].flatMap((s, c) => (s >= LIVE_LABEL_THRESHOLD ? [c] : []))
  return {
    spec, mode: 'photo', origin: 'outside', path: path.resolve(file), photoEmbedding: analysis.graph.embedding,
    objects: detectedObjects(lib, analysis), labels, excludePhotoIds: [],
  }
}

async function boxesQuery(lib: Library, spec: Extract<QuerySpec, { kind: 'boxes' }>): Promise<ResolvedQuery> {
  if (spec.boxes.length === 0) throw new QueryError('bad-box', 'give at least one box')
  const known = await findLibraryPhoto(lib, spec.file)
  const base = { spec, mode: 'objects' as const, path: known?.path ?? path.resolve(spec.file), excludePhotoIds: known ? sameContent(lib, known) : [] }
  const finish = (objects: QueryObject[], origin: 'library' | 'outside'): ResolvedQuery =>
    ({ ...base, origin, photoId: known?.id, objects, labels: [...new Set(objects.map((o) => o.classId))].sort((a, b) => a - b) })
  const clampAll = (w: number, h: number) => spec.boxes.map((b) => {
    try {
      return clampBox(b, w, h)
    } catch (err) {
      throw new QueryError('bad-box', (err as Error).message)
    }
  })
  if (known?.width && known.height) {
    const boxes = clampAll(known.width, known.height)
    const stored = storedObjects(lib, known.id)
    const picked = boxes.map((b) => {
      const o = bestOverlap(toPixelBox(b), stored.map((s) => toPixelBox(s.box)))
      return o.index >= 0 && o.iou >= BOX_MATCH_IOU ? { ...stored[o.index], boxIou: o.iou } : undefined
    })
    if (picked.every((p) => p)) return finish(picked as QueryObject[], 'library')
  }
  const { photo, analysis } = await analyseFile(lib, spec.file)
  const size = photoSize(photo)
  const objects = await objectsForBoxes(lib, photo, analysis, clampAll(size.width, size.height))
  return finish(objects, known ? 'library' : 'outside')
}

/** Resolves a query spec against an open library. Throws `QueryError` for queries that cannot run. */
export async function resolveQuery(lib: Library, spec: QuerySpec): Promise<ResolvedQuery> {
  switch (spec.kind) {
    case 'photo-id':
      return libraryPhotoQuery(lib, spec, requireIndexed(lib, spec.photoId))
    case 'photo-file': {
      const known = await findLibraryPhoto(lib, spec.file)
      return known ? libraryPhotoQuery(lib, spec, known) : outsidePhotoQuery(lib, spec, spec.file)
    }
    case 'object-id': {
      const o = lib.store.objects.get(spec.objectId)
      if (!o) throw new QueryError('no-such-object', `object ${spec.objectId} is not in the library`)
      const photo = requireIndexed(lib, o.photoId)
      const object = storedObjects(lib, o.photoId).find((s) => s.objectId === o.id)
      if (!object) throw new QueryError('no-embedding', `object ${o.id} has no ${METHODS.object} embedding (boxes drawn by a person have none until re-analysed)`)
      return {
        spec, mode: 'objects', origin: 'library', photoId: photo.id, path: photo.path, objects: [object],
        labels: [object.classId], excludePhotoIds: sameContent(lib, photo),
      }
    }
    case 'boxes':
      return boxesQuery(lib, spec)
  }
}
