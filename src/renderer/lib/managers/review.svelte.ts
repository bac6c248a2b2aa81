/**
 * The review queue (`review.queue`) as rune state: photos ordered by model uncertainty or by
 * model-vs-label disagreement, each with the label that put it there, loaded page by page
 * (keyset cursor). Accepting or rejecting a row's label (`labels.set`) and marking rows reviewed
 * update the rows in place, so the list keeps its order and the user their place; the focused
 * row and scroll position survive a visit to a photo.
 */
import type { LabelState, ReviewItem, ReviewPage } from '../../../shared/api-contract.js'
import { call } from '../api.js'
import { Selection } from './selection.svelte.js'
import { errorMessage } from './toasts.svelte.js'

/** How the queue is ordered. */
export type ReviewOrder = 'uncertainty' | 'disagreement'

/** Rows per `review.queue` request. */
export const REVIEW_PAGE = 50

/** One row of the list: the queue's item plus what was decided here since it loaded. */
export interface ReviewRow extends ReviewItem {
  /** The person's state for the row's class set from this list (undefined: untouched here). */
  decided?: LabelState | null
  /** Marked reviewed from this list. */
  reviewed?: boolean
}

/** The person's state a row shows: decided here, else what the queue said. */
export function rowHumanState(row: ReviewRow): LabelState | null {
  return row.decided !== undefined ? row.decided : row.humanState
}

/** Appends a page to rows, skipping photos already listed (a page boundary may repeat one). */
export function appendPage(rows: readonly ReviewRow[], page: ReviewPage): ReviewRow[] {
  const seen: Record<number, true> = {}
  for (const r of rows) seen[r.photoId] = true
  return [...rows, ...page.items.filter((i) => !seen[i.photoId])]
}

/** The review queue of the Review view. */
export class ReviewQueue {
  order = $state<ReviewOrder>('uncertainty')
  includeReviewed = $state(false)
  rows = $state.raw<ReviewRow[]>([])
  /** Where the next page starts; null at the end. */
  next = $state.raw<ReviewPage['next']>(null)
  /** False until the first page arrived (for the empty state). */
  loaded = $state(false)
  loading = $state(false)
  error = $state<string | null>(null)
  /** Keyboard focus (row index), -1 for none. */
  focusIndex = $state(-1)
  /** Where the list was scrolled to (kept across visits to a photo; not reactive). */
  scrollTop = 0
  /** Rows picked for a batch action. */
  readonly selection = new Selection()
  #generation = 0

  /** Loads the first page again (after a change of order or filter). */
  async reload(): Promise<void> {
    const generation = ++this.#generation
    this.loading = true
    try {
      const page = await call('review.queue', { order: this.order, includeReviewed: this.includeReviewed, limit: REVIEW_PAGE })
      if (generation !== this.#generation) return
      this.rows = appendPage([], page)
      this.next = page.next
      this.error = null
      this.focusIndex = this.rows.length > 0 ? 0 : -1
      this.scrollTop = 0
      this.selection.clear()
    } catch (err) {
      if (generation === this.#generation) this.error = errorMessage(err)
    } finally {
      if (generation === this.#generation) {
        this.loading = false
        this.loaded = true
      }
    }
  }

  /** Loads the next page, if any and none is loading. */
  async loadMore(): Promise<void> {
    if (!this.next || this.loading) return
    const generation = this.#generation
    this.loading = true
    try {
      const page = await call('review.queue', { order: this.order, includeReviewed: this.includeReviewed, limit: REVIEW_PAGE, cursor: this.next })
      if (generation !== this.#generation) return
      this.rows = appendPage(this.rows, page)
      this.next = page.next
      this.error = null
    } catch (err) {
      if (generation === this.#generation) this.error = errorMessage(err)
    } finally {
      if (generation === this.#generation) this.loading = false
    }
  }

  /** Orders the queue another way and starts over. */
  setOrder(order: ReviewOrder): Promise<void> {
    this.order = order
    return this.reload()
  }

  /** Shows or hides photos already marked reviewed and starts over. */
  setIncludeReviewed(include: boolean): Promise<void> {
    this.includeReviewed = include
    return this.reload()
  }

  /** Moves the focus by `delta` rows (J/K, arrows), loading more at the end. */
  move(delta: number): void {
    if (this.rows.length === 0) return
    this.focusIndex = Math.max(0, Math.min(this.rows.length - 1, (this.focusIndex < 0 ? 0 : this.focusIndex) + delta))
    if (this.focusIndex >= this.rows.length - 3) void this.loadMore()
  }

  /**
   * The person's verdict on a row's label: positive (accept), negative (reject), or null (withdraw
   * the person's label). Committed before the row shows it.
   */
  async decide(index: number, state: 'positive' | 'negative' | null): Promise<void> {
    const row = this.rows[index]
    if (!row) return
    await call('labels.set', { photoId: row.photoId, classId: row.classId, state })
    this.#patch((r) => r.photoId === row.photoId && r.classId === row.classId, { decided: state })
  }

  /** Marks photos reviewed (one edit) and shows it on their rows. */
  async markReviewed(photoIds: number[], reviewed = true): Promise<void> {
    if (photoIds.length === 0) return
    await call('photos.review', { photoIds, reviewed })
    this.#patch((r) => photoIds.includes(r.photoId), { reviewed })
  }

  /** Reads a row's photo again (back from the photo view, where it may have been edited). */
  async refreshRow(index: number): Promise<void> {
    const row = this.rows[index]
    if (!row) return
    const view = await call('annotations.get', { photoId: row.photoId })
    const label = view.labels.find((l) => l.classId === row.classId)
    this.#patch((r) => r.photoId === row.photoId, { reviewed: view.reviewedAt !== null })
    this.#patch((r) => r.photoId === row.photoId && r.classId === row.classId, { decided: label?.human?.state ?? null })
  }

  /** The row's photo ids between two row indices, inclusive (for Shift ranges). */
  idsBetween(start: number, end: number): number[] {
    return this.rows.slice(start, end + 1).map((r) => r.photoId)
  }

  #patch(match: (row: ReviewRow) => boolean, change: Partial<ReviewRow>): void {
    this.rows = this.rows.map((r) => (match(r) ? { ...r, ...change } : r))
  }
}
