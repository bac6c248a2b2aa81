/**
 * A multi-selection of photos (the Library grid's, the Review list's), by photo id: Ctrl/Cmd+click
 * toggles, Shift+click adds the range from the last clicked item, Ctrl+A selects all. Batch
 * actions (`labels.batch`, `photos.review`) run over it as one edit each (one undo). Also the
 * library's vocabulary, for the batch label picker.
 */
import { SvelteSet } from 'svelte/reactivity'
import type { VocabularyItem } from '../../../shared/api-contract.js'
import { call } from '../api.js'
import { errorMessage } from './toasts.svelte.js'

/** A batch label operation (see `labels.batch`). */
export type BatchOp = 'add' | 'remove' | 'accept' | 'clear'

/** What the keys held during a click ask for. */
export type ClickIntent = 'open' | 'toggle' | 'range'

/** The most photos one batch may hold (the contract's limit). */
export const MAX_BATCH = 100_000

/**
 * What a click on an item means: Shift adds a range, Ctrl/Cmd toggles, and while something is
 * selected a plain click toggles too (selection mode, as Google Photos and Immich do); else it opens.
 */
export function clickIntent(event: { ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }, selecting: boolean): ClickIntent {
  if (event.shiftKey) return 'range'
  if (event.ctrlKey || event.metaKey || selecting) return 'toggle'
  return 'open'
}

/** The inclusive index range between two positions, in order. */
export function indexRange(a: number, b: number): [start: number, end: number] {
  return a <= b ? [a, b] : [b, a]
}

/** Selected photos, by id, with the anchor of the last click for Shift ranges. */
export class Selection {
  /** The selected photo ids (reactive). */
  readonly ids = new SvelteSet<number>()
  /** Index of the last item clicked or toggled (start of a Shift range); null when none. */
  anchor = $state<number | null>(null)
  /** True while a range or "select all" resolves its ids. */
  busy = $state(false)
  error = $state<string | null>(null)

  /** How many photos are selected. */
  readonly count: number = $derived(this.ids.size)

  /** True when photo `id` is selected. */
  has(id: number): boolean {
    return this.ids.has(id)
  }

  /** Selects or deselects one photo (Ctrl/Cmd+click) and makes it the anchor. */
  toggle(id: number, index: number): void {
    if (this.ids.has(id)) this.ids.delete(id)
    else if (this.ids.size < MAX_BATCH) this.ids.add(id)
    this.anchor = index
  }

  /** Adds photos to the selection (at most {@link MAX_BATCH} in all). */
  add(ids: Iterable<number>): void {
    for (const id of ids) {
      if (this.ids.size >= MAX_BATCH) break
      this.ids.add(id)
    }
  }

  /** Replaces the selection. */
  set(ids: Iterable<number>): void {
    this.ids.clear()
    this.add(ids)
  }

  /**
   * Shift+click at `index`: adds the items from the anchor (or `index` alone) to it, their ids
   * given by `idsOf` (which may have to load them). The anchor stays, so further Shift+clicks
   * extend from the same place.
   */
  async extend(index: number, idsOf: (start: number, end: number) => number[] | Promise<number[]>): Promise<void> {
    const [start, end] = indexRange(this.anchor ?? index, index)
    if (this.anchor === null) this.anchor = index
    await this.#resolve(async () => this.add(await idsOf(start, end)))
  }

  /** Selects everything `all` resolves to (Ctrl+A). */
  async selectAll(all: () => number[] | Promise<number[]>): Promise<void> {
    await this.#resolve(async () => this.set(await all()))
  }

  /** Empties the selection. */
  clear(): void {
    this.ids.clear()
    this.anchor = null
    this.error = null
  }

  async #resolve(work: () => Promise<void>): Promise<void> {
    this.busy = true
    try {
      await work()
      this.error = null
    } catch (err) {
      this.error = errorMessage(err)
    } finally {
      this.busy = false
    }
  }
}

/** Applies one label operation to photos as one edit; resolves to how many photos it changed. */
export async function applyBatch(photoIds: number[], classId: number, op: BatchOp): Promise<number> {
  const reply = await call('labels.batch', { photoIds, classId, op })
  return reply.edit?.photoIds.length ?? 0
}

/** Marks photos reviewed (or not) as one edit. */
export async function markReviewed(photoIds: number[], reviewed = true): Promise<number> {
  const reply = await call('photos.review', { photoIds, reviewed })
  return reply.edit?.photoIds.length ?? 0
}

/** The library's vocabulary (`vocabulary.list`), loaded once and on demand again. */
export class VocabularyList {
  items = $state.raw<VocabularyItem[]>([])
  error = $state<string | null>(null)
  #loading: Promise<void> | null = null

  /** Names by class id (for the label picker). */
  readonly names: string[] = $derived(namesByClassId(this.items))

  /** Loads the vocabulary unless it is loaded or loading (`force` reads it again). */
  load(force = false): Promise<void> {
    if (this.#loading && !force) return this.#loading
    this.#loading = call('vocabulary.list', {}).then(
      (items) => {
        this.items = items
        this.error = null
      },
      (err: unknown) => {
        this.error = errorMessage(err)
        this.#loading = null
      },
    )
    return this.#loading
  }
}

/** An array indexed by class id holding each class's name (sparse: ids without a class are holes, skipped by forEach). */
export function namesByClassId(items: readonly VocabularyItem[]): string[] {
  const names: string[] = []
  for (const item of items) names[item.classId] = item.name
  return names
}
