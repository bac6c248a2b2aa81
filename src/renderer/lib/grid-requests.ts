/**
 * The library grid's requests, built in one place: main.ts asks for the first page before the
 * app has loaded (`askEarly`), and that reply is only used when the grid's own request is
 * identical (same fields, same order).
 */
import type { ApiRequest } from '../../shared/api-contract.js'

/** Which photos a grid shows (see `photoFilterSchema`). */
export type PhotoFilter = NonNullable<ApiRequest<'photos.list'>['filter']>
/** How a grid is ordered. */
export type PhotoSort = { key: 'added' | 'name' | 'objects' | 'indexed'; order: 'asc' | 'desc' }

/** Items per `photos.list` request. */
export const PAGE_SIZE = 200
/** The grid's order until the user picks another: newest first. */
export const DEFAULT_SORT: PhotoSort = { key: 'added', order: 'desc' }

/** Page `page` of the grid: after the previous page's keyset cursor when it is known, else by offset. */
export function pageRequest(filter: PhotoFilter, sort: PhotoSort, page: number, cursor?: string | null): ApiRequest<'photos.list'> {
  return { filter, sort, limit: PAGE_SIZE, ...(cursor ? { cursor } : { offset: page * PAGE_SIZE }) }
}

/** The grid's count. */
export function countRequest(filter: PhotoFilter): ApiRequest<'photos.count'> {
  return { filter }
}
