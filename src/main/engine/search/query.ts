/**
 * Resolves what the user searches by into embeddings (see `QuerySpec`): a library photo (stored H
 * and h_i), a photo file or photo bytes (stored vectors when the library holds the photo by path
 * or content, else analysed live — an outside photo; nothing is written anywhere), stored objects
 * (their h_i), or boxes drawn on a photo (the h_i of the objects they mark; see `box-query.ts`).
 */
import { hashBytes } from '../io/content-hash.js'
import { decodePhoto, decodePhotoBuffer } from '../pipeline/decode.js'
import { boxesQuery } from './box-query.js'
import { toSearchContext, type SearchTarget } from './context.js'
import { findIndexedByHash, findLibraryPhoto, libraryPhotoQuery, requireIndexed, storedObjectsQuery } from './library-photos.js'
import { outsidePhotoQuery } from './live-photos.js'
import type { QuerySpec, ResolvedQuery } from './types.js'

export { QueryError, type QueryErrorCode } from './query-error.js'
export { findLibraryPhoto, storedObjects } from './library-photos.js'
export { LIVE_LABEL_THRESHOLD } from './live-photos.js'

/** Resolves a query spec against a library (or its search context). Throws `QueryError` for queries that cannot run. */
export async function resolveQuery(target: SearchTarget, spec: QuerySpec): Promise<ResolvedQuery> {
  const ctx = toSearchContext(target)
  switch (spec.kind) {
    case 'photo-id':
      return libraryPhotoQuery(ctx, spec, requireIndexed(ctx, spec.photoId))
    case 'photo-file': {
      const known = await findLibraryPhoto(ctx, spec.file)
      return known ? libraryPhotoQuery(ctx, spec, known) : outsidePhotoQuery(ctx, spec, await decodePhoto(spec.file), { file: spec.file })
    }
    case 'photo-bytes': {
      const known = findIndexedByHash(ctx, hashBytes(spec.bytes))
      if (known) return { ...libraryPhotoQuery(ctx, spec, known), ...(spec.name !== undefined ? { name: spec.name } : {}) }
      return outsidePhotoQuery(ctx, spec, await decodePhotoBuffer(spec.bytes, spec.name ?? 'the uploaded photo'), { name: spec.name })
    }
    case 'object-id':
      return storedObjectsQuery(ctx, spec, [spec.objectId])
    case 'object-ids':
      return storedObjectsQuery(ctx, spec, spec.objectIds)
    case 'boxes':
      return boxesQuery(ctx, spec)
  }
}
