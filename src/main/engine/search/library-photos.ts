/**
 * Queries made of what the library already holds: a library photo (its stored H and objects) and
 * stored objects (their h_i), from one photo or from several.
 */
import { statSync } from 'node:fs'
import path from 'node:path'
import { hashFile } from '../io/content-hash.js'
import { METHODS } from '../store/embedding-methods.js'
import type { ObjectRecord, PhotoRecord } from '../store/types.js'
import { className, toSearchContext, type SearchContext, type SearchTarget } from './context.js'
import { PhotoLabelCache } from './photo-labels.js'
import { QueryError } from './query-error.js'
import type { QueryObject, QuerySpec, ResolvedQuery } from './types.js'

/** A stored object with its object embedding, as a query object (undefined when it has none). */
export function storedObject(ctx: SearchContext, o: ObjectRecord): QueryObject | undefined {
  const e = ctx.embeddings.get({ kind: 'object', objectId: o.id }, METHODS.object)
  return e && { objectId: o.id, classId: o.classId, className: className(ctx, o.classId), box: o.box, score: o.score, origin: 'stored', embedding: e.vector }
}

/** The stored objects of a photo that have an object embedding, as query objects. */
export function storedObjects(target: SearchTarget, photoId: number): QueryObject[] {
  const ctx = toSearchContext(target)
  return ctx.objects.listByPhoto(photoId).flatMap((o) => storedObject(ctx, o) ?? [])
}

/** The indexed library photo with these bytes, if any. */
export function findIndexedByHash(ctx: SearchContext, contentHash: string): PhotoRecord | undefined {
  return ctx.photos.findByHash(contentHash).find((p) => p.status === 'indexed')
}

/** The indexed library photo with this file's path or content, if any. */
export async function findLibraryPhoto(ctx: SearchContext, file: string): Promise<PhotoRecord | undefined> {
  if (!statSync(file, { throwIfNoEntry: false })?.isFile()) throw new QueryError('no-such-file', `${file} is not a file`)
  const byPath = ctx.photos.findByPath(path.resolve(file))
  if (byPath?.status === 'indexed') return byPath
  return findIndexedByHash(ctx, await hashFile(file))
}

/** The library photo `photoId`, which must be indexed. */
export function requireIndexed(ctx: SearchContext, photoId: number): PhotoRecord {
  const photo = ctx.photos.get(photoId)
  if (!photo) throw new QueryError('no-such-photo', `photo ${photoId} is not in the library`)
  if (photo.status !== 'indexed') {
    throw new QueryError('not-indexed', `photo ${photoId} (${photo.path}) is ${photo.status}${photo.error ? `: ${photo.error}` : ''}; run constella index again`)
  }
  return photo
}

/** The photo and every photo with the same content: never a result of its own query. */
export function sameContent(ctx: SearchContext, photo: PhotoRecord): number[] {
  return [...new Set([photo.id, ...ctx.photos.findByHash(photo.contentHash).map((p) => p.id)])]
}

/** A query by a library photo: its stored H, its objects and its positive labels. */
export function libraryPhotoQuery(ctx: SearchContext, spec: QuerySpec, photo: PhotoRecord): ResolvedQuery {
  const h = ctx.embeddings.get({ kind: 'photo', photoId: photo.id }, METHODS.photo)
  if (!h) throw new QueryError('no-embedding', `photo ${photo.id} has no ${METHODS.photo} embedding; run constella index again`)
  return {
    spec, mode: 'photo', origin: 'library', photoId: photo.id, path: photo.path, photoEmbedding: h.vector,
    objects: storedObjects(ctx, photo.id), labels: [...new PhotoLabelCache(ctx.labels).positives(photo.id)].sort((a, b) => a - b),
    excludePhotoIds: sameContent(ctx, photo),
  }
}

/**
 * A query by stored objects (each with its h_i), in the order given, duplicates dropped. Their
 * photos (and photos with the same content) are never results; `photoId` and `path` name the
 * photo when all objects are of one photo.
 */
export function storedObjectsQuery(ctx: SearchContext, spec: QuerySpec, objectIds: readonly number[]): ResolvedQuery {
  const ids = [...new Set(objectIds)]
  if (ids.length === 0) throw new QueryError('no-such-object', 'give at least one object')
  const photos = new Map<number, PhotoRecord>()
  const objects = ids.map((id) => {
    const o = ctx.objects.get(id)
    if (!o) throw new QueryError('no-such-object', `object ${id} is not in the library`)
    if (!photos.has(o.photoId)) photos.set(o.photoId, requireIndexed(ctx, o.photoId))
    const object = storedObject(ctx, o)
    if (!object) throw new QueryError('no-embedding', `object ${o.id} has no ${METHODS.object} embedding (boxes drawn by a person have none until re-analysed)`)
    return object
  })
  const one = photos.size === 1 ? [...photos.values()][0] : undefined
  return {
    spec, mode: 'objects', origin: 'library', ...(one ? { photoId: one.id, path: one.path } : {}), objects,
    labels: [...new Set(objects.map((o) => o.classId))].sort((a, b) => a - b),
    excludePhotoIds: [...new Set([...photos.values()].flatMap((p) => sameContent(ctx, p)))],
  }
}
