/**
 * Search by example: the query (a library photo, an uploaded photo, stored objects or boxes drawn
 * on a library photo), the with / without label filters, the results, and which result's
 * explanation is open.
 */
import type { Box } from '../../../shared/domain.js'
import type { ApiRequest, PhotoDetail, SearchResponse, UploadedPhoto } from '../../../shared/api-contract.js'
import { call } from '../api.js'
import { errorMessage } from './toasts.svelte.js'

/** What the user searches with. */
export type QuerySource =
  | { kind: 'photo'; photoId: number; name?: string }
  | { kind: 'upload'; upload: UploadedPhoto }
  | { kind: 'objects'; photoId: number; objectIds: number[]; name?: string }
  | { kind: 'boxes'; photoId: number; boxes: Box[]; name?: string }

/** The `search.run` query of a source. */
export function queryOf(source: QuerySource): ApiRequest<'search.run'>['query'] {
  switch (source.kind) {
    case 'photo':
      return { kind: 'photo', photoId: source.photoId }
    case 'upload':
      return { kind: 'upload', uploadId: source.upload.uploadId }
    case 'objects':
      return { kind: 'objects', objectIds: source.objectIds }
    case 'boxes':
      return { kind: 'boxes', photoId: source.photoId, boxes: source.boxes }
  }
}

/** The library photo behind a source (null for an upload). */
export function sourcePhotoId(source: QuerySource | null): number | null {
  return source && source.kind !== 'upload' ? source.photoId : null
}

/** Results to ask for. */
export const SEARCH_K = 60

/** The search view's state. */
export class SearchManager {
  source = $state.raw<QuerySource | null>(null)
  /** Results must have every one of these classes. */
  withLabels = $state<number[]>([])
  /** Results must have none of these. */
  withoutLabels = $state<number[]>([])
  response = $state.raw<SearchResponse | null>(null)
  running = $state(false)
  error = $state<string | null>(null)
  /** Index of the result whose explanation is open, or null. */
  openIndex = $state<number | null>(null)
  /** The library photo behind the query, with its objects (to select or draw on). */
  queryPhoto = $state.raw<PhotoDetail | null>(null)
  /** Objects of the query photo picked for the next search (stored ids). */
  draftObjectIds = $state<number[]>([])
  /** Boxes drawn on the query photo for the next search. */
  draftBoxes = $state<Box[]>([])
  #token = 0

  readonly openResult = $derived(this.openIndex === null ? null : (this.response?.results[this.openIndex] ?? null))

  /** Sets the query and searches. */
  async searchWith(source: QuerySource): Promise<void> {
    this.source = source
    this.openIndex = null
    this.draftObjectIds = source.kind === 'objects' ? [...source.objectIds] : []
    this.draftBoxes = source.kind === 'boxes' ? [...source.boxes] : []
    await Promise.all([this.run(), this.#loadQueryPhoto(sourcePhotoId(source))])
  }

  /** Adds or removes a stored object of the query photo from the draft selection. */
  toggleDraftObject(objectId: number): void {
    this.draftObjectIds = this.draftObjectIds.includes(objectId)
      ? this.draftObjectIds.filter((id) => id !== objectId)
      : [...this.draftObjectIds, objectId].slice(-16)
  }

  /** Adds a box drawn on the query photo to the draft. */
  addDraftBox(box: Box): void {
    this.draftBoxes = [...this.draftBoxes, box].slice(-16)
  }

  /** Searches with the draft: drawn boxes (and the selected objects' boxes) or the selected objects. */
  async searchDraft(): Promise<void> {
    const photo = this.queryPhoto
    if (!photo) return
    const base = { photoId: photo.id, name: photo.name }
    if (this.draftBoxes.length > 0) {
      const picked = photo.objects.filter((o) => this.draftObjectIds.includes(o.id)).map((o) => o.box)
      await this.searchWith({ kind: 'boxes', ...base, boxes: [...picked, ...this.draftBoxes].slice(0, 16) })
    } else if (this.draftObjectIds.length > 0) {
      await this.searchWith({ kind: 'objects', ...base, objectIds: this.draftObjectIds })
    } else {
      await this.searchWith({ kind: 'photo', ...base })
    }
  }

  async #loadQueryPhoto(photoId: number | null): Promise<void> {
    if (photoId === null) {
      this.queryPhoto = null
      return
    }
    if (this.queryPhoto?.id === photoId) return
    try {
      this.queryPhoto = await call('photos.get', { id: photoId })
    } catch (err) {
      this.queryPhoto = null
      this.error ??= errorMessage(err)
    }
  }

  /** Runs the current query again (e.g. after a label filter changed); no-op without a query. */
  async run(): Promise<void> {
    if (!this.source) return
    const token = ++this.#token
    this.running = true
    this.error = null
    try {
      const response = await call('search.run', {
        query: queryOf(this.source),
        k: SEARCH_K,
        with: this.withLabels,
        without: this.withoutLabels,
      })
      if (token !== this.#token) return
      this.response = response
      if (this.openIndex !== null && this.openIndex >= response.results.length) this.openIndex = null
    } catch (err) {
      if (token !== this.#token) return
      this.error = errorMessage(err)
      this.response = null
    } finally {
      if (token === this.#token) this.running = false
    }
  }

  /** Uploads an outside photo (base64) for search and searches with it. */
  async searchWithUpload(name: string, base64: string): Promise<void> {
    this.running = true
    this.error = null
    try {
      const upload = await call('uploads.add', { name, data: base64 })
      await this.searchWith({ kind: 'upload', upload })
    } catch (err) {
      this.error = errorMessage(err)
      this.running = false
    }
  }

  /** Adds a class to the with / without filter (removing it from the other) and searches again. */
  async addLabel(list: 'with' | 'without', classId: number): Promise<void> {
    const other = list === 'with' ? this.withoutLabels : this.withLabels
    const add = (ids: number[]) => [...ids.filter((c) => c !== classId), classId]
    if (list === 'with') this.withLabels = add(this.withLabels)
    else this.withoutLabels = add(this.withoutLabels)
    if (other.includes(classId)) {
      if (list === 'with') this.withoutLabels = this.withoutLabels.filter((c) => c !== classId)
      else this.withLabels = this.withLabels.filter((c) => c !== classId)
    }
    await this.run()
  }

  /** Removes a class from a filter and searches again. */
  async removeLabel(list: 'with' | 'without', classId: number): Promise<void> {
    if (list === 'with') this.withLabels = this.withLabels.filter((c) => c !== classId)
    else this.withoutLabels = this.withoutLabels.filter((c) => c !== classId)
    await this.run()
  }

  /** Forgets the query and results. */
  clear(): void {
    this.#token++
    this.source = null
    this.response = null
    this.error = null
    this.openIndex = null
    this.running = false
    this.queryPhoto = null
    this.draftObjectIds = []
    this.draftBoxes = []
  }
}
