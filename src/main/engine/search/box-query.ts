/**
 * A query by boxes drawn on a photo (a file, or a library photo by id). On a library photo, a box
 * that marks a stored object is that object; any other box is resolved on one live feature pass
 * of the photo (see `box-nodes.ts`). Boxes are in the photo's own pixels.
 */
import { statSync } from 'node:fs'
import path from 'node:path'
import type { Box } from '../../../shared/domain.js'
import { analyzeFeatures, featurePass } from '../analysis/analyze-photo.js'
import { decodePhoto } from '../pipeline/decode.js'
import { photoSize } from '../pipeline/detect.js'
import type { PhotoRecord } from '../store/types.js'
import { clampBox, matchBox, objectsForBoxes } from './box-nodes.js'
import type { SearchContext } from './context.js'
import { findLibraryPhoto, requireIndexed, sameContent, storedObjects } from './library-photos.js'
import { QueryError } from './query-error.js'
import type { QueryObject, QuerySpec, ResolvedQuery } from './types.js'

/** A box query spec. */
export type BoxesSpec = Extract<QuerySpec, { kind: 'boxes' }>

function clampAll(boxes: readonly Box[], width: number, height: number): Box[] {
  return boxes.map((b) => {
    try {
      return clampBox(b, width, height)
    } catch (err) {
      throw new QueryError('bad-box', (err as Error).message)
    }
  })
}

/** The photo's file, checked to exist (a library photo's file may have gone since it was indexed). */
function readableFile(file: string, photo: PhotoRecord | undefined): string {
  if (!statSync(file, { throwIfNoEntry: false })?.isFile()) {
    throw new QueryError('no-such-file', photo
      ? `the file of photo ${photo.id} (${file}) is gone; a box that marks no stored object needs it. Restore it, or index the folder again`
      : `${file} is not a file`)
  }
  return file
}

/** Resolves a box query (one feature pass of the photo at most). */
export async function boxesQuery(ctx: SearchContext, spec: BoxesSpec): Promise<ResolvedQuery> {
  if (spec.boxes.length === 0) throw new QueryError('bad-box', 'give at least one box')
  const known = 'photoId' in spec ? requireIndexed(ctx, spec.photoId) : await findLibraryPhoto(ctx, spec.file)
  const file = 'file' in spec ? spec.file : known!.path
  const finish = (objects: QueryObject[], origin: 'library' | 'outside'): ResolvedQuery => ({
    spec, mode: 'objects', origin, photoId: known?.id, path: known?.path ?? path.resolve(file), objects,
    labels: [...new Set(objects.map((o) => o.classId))].sort((a, b) => a - b), excludePhotoIds: known ? sameContent(ctx, known) : [],
  })
  let picked: (QueryObject | undefined)[] = []
  if (known?.width && known.height) {
    const stored = storedObjects(ctx, known.id)
    picked = clampAll(spec.boxes, known.width, known.height).map((b) => {
      const m = matchBox(b, stored)
      return m && { ...m.match, boxIou: m.iou }
    })
    if (picked.every((p) => p)) return finish(picked as QueryObject[], 'library')
  }
  const photo = await decodePhoto(readableFile(file, known))
  const size = photoSize(photo)
  const pass = await featurePass(ctx.analyser, photo)
  const analysis = await analyzeFeatures(ctx.analyser, pass)
  const objects = await objectsForBoxes(ctx, pass, analysis, clampAll(spec.boxes, size.width, size.height), picked)
  return finish(objects, known ? 'library' : 'outside')
}
