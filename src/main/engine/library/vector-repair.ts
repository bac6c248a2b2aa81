/**
 * Damaged stored vectors (a non-finite value in an embedding BLOB, e.g. from a disk error or a
 * bad write) must not make a library unusable: the indexes are built without them, and their
 * photos are named so that they can be analysed again, by the owner (sent back to pending) or,
 * for a read-only reader, reported.
 */
import type { IndexSet } from '../index/index-set.js'
import type { LibraryStore } from '../store/index.js'

/** A stored vector left out of the indexes. */
export interface DamagedVector {
  kind: 'photo' | 'object'
  /** Photo id (kind 'photo') or object id (kind 'object'). */
  key: number
  /** The photo it belongs to, and its file, when the store still knows them. */
  photoId?: number
  path?: string
  /** What is wrong with it, e.g. "value 3 is NaN". */
  reason: string
}

/** The damaged vectors the indexes skipped when they were opened, with their photos. */
export function damagedVectors(store: LibraryStore, indexes: IndexSet): DamagedVector[] {
  const out: DamagedVector[] = []
  const { photos, objects } = indexes.reports
  for (const { key, reason } of photos.invalid ?? []) out.push({ kind: 'photo', key, photoId: key, reason })
  for (const { key, reason } of objects.invalid ?? []) out.push({ kind: 'object', key, photoId: store.objects.get(key)?.photoId, reason })
  for (const d of out) if (d.photoId !== undefined) d.path = store.photos.get(d.photoId)?.path
  return out
}

/**
 * Sends the photos of damaged vectors back to pending (their analysis cleared, their vectors out
 * of both indexes) and saves the indexes, so that the next index run analyses them again and
 * the next open loads the saved indexes without a rebuild. Returns the photo ids.
 */
export function requeueDamaged(store: LibraryStore, indexes: IndexSet, damaged: DamagedVector[]): number[] {
  const ids = [...new Set(damaged.flatMap((d) => (d.photoId === undefined ? [] : [d.photoId])))]
  if (ids.length === 0) return ids
  for (const id of ids) {
    indexes.photos.remove(id)
    for (const o of store.objects.listByPhoto(id)) indexes.objects.remove(o.id)
  }
  store.requeuePhotos(ids)
  indexes.save()
  return ids
}

/** One line per damaged vector for a user: which photo, and what happens to it. */
export function describeDamaged(damaged: DamagedVector[], requeued: boolean): string[] {
  const then = requeued ? 'it is analysed again by the next index run' : 'it is left out of search until the library is indexed again'
  return damaged.map((d) => `photo ${d.photoId ?? '?'}${d.path ? ` (${d.path})` : ''} has a damaged stored ${d.kind} vector (${d.reason}): ${then}`)
}
