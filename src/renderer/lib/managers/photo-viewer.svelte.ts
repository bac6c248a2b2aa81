/**
 * The photo view's state: the photo's detail and graph, which overlays are on, the confidence
 * threshold, the attention layer and head, the hovered and selected objects, and the neighbours
 * in the grid's order. The overlay geometry is derived here from the pure functions of
 * `lib/geometry` so the components only draw.
 */
import type { AnnotationBox, PhotoCard, PhotoDetail, PhotoGraphView } from '../../../shared/api-contract.js'
import { classPalette } from '../colors.js'
import { standsFor, visibleByScore } from '../geometry/boxes.js'
import {
  adjacencyEdges,
  attendsTo,
  attentionEdges,
  attentionMatrix,
  nodeObjectIndex,
  objectAttention,
  type HeadChoice,
} from '../geometry/graph-edges.js'
import { call, mediaUrl } from '../api.js'
import type { PhotoFilter, PhotoSort } from './photo-grid.svelte.js'
import { errorMessage } from './toasts.svelte.js'

/** Overlays that can be toggled. */
export type OverlayName = 'boxes' | 'adjacency' | 'attention'

/** How long the next photo's detail and graph, asked ahead, are used (then asked again). */
export const AHEAD_TTL_MS = 10_000

/** OT edges weaker than this are not drawn (A_ij is a cosine, 1 on the diagonal). */
export const MIN_ADJACENCY = 0.2

/** What the view shows of a photo opened from a grid tile until its detail arrives: its thumbnail, at its size. */
export type PhotoPreview = Pick<PhotoCard, 'id' | 'name' | 'width' | 'height' | 'version' | 'thumbnail'>

type Requests = { detail: Promise<PhotoDetail>; graph: Promise<PhotoGraphView>; preview?: PhotoPreview }

/** One photo with its overlays. */
export class PhotoViewer {
  id = $state<number | null>(null)
  detail = $state.raw<PhotoDetail | null>(null)
  /** The tile of the photo being opened, shown until its detail arrives (null otherwise). */
  preview = $state.raw<PhotoPreview | null>(null)
  graph = $state.raw<PhotoGraphView | null>(null)
  loading = $state(false)
  error = $state<string | null>(null)
  graphError = $state<string | null>(null)
  neighbours = $state<{ previous: number | null; next: number | null }>({ previous: null, next: null })

  overlays = $state<Record<OverlayName, boolean>>({ boxes: true, adjacency: false, attention: false })
  threshold = $state(0.25)
  /** GAT layer, 0-based. */
  layer = $state(0)
  head = $state<HeadChoice>('mean')
  /** Object under the pointer (index into `detail.objects`). */
  hovered = $state<number | null>(null)
  /** Selected objects (indices), the last one primary (its attention is shown). */
  selected = $state<number[]>([])

  #token = 0
  /** A read of the detail is on its way (the graph may follow later). */
  #detailPending = false
  /** The open photo's neighbours, as soon as they are known. */
  #neighboursPending: Promise<{ previous: number | null; next: number | null }> = Promise.resolve({ previous: null, next: null })
  /** Detail and graph asked ahead for the photo → opens next: used once, within AHEAD_TTL_MS. */
  #ahead: ({ id: number; at: number } & Requests) | null = null
  #order: { filter: PhotoFilter; sort: PhotoSort } = { filter: {}, sort: { key: 'added', order: 'desc' } }

  readonly objects = $derived(this.detail?.objects ?? [])
  /** Indices of the objects the threshold shows (a new set per change, never mutated). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly visible: ReadonlySet<number> = $derived(new Set(visibleByScore(this.objects.map((o, i) => ({ score: o.score, i })), this.threshold).map((o) => o.i)))
  /** One colour per class of this photo (strongest objects' classes get the first colours). */
  readonly classColors: Map<number, string> = $derived(
    classPalette([...this.objects].sort((a, b) => (b.score ?? 2) - (a.score ?? 2)).map((o) => o.classId)),
  )
  readonly nodeToObject: number[] = $derived(this.graph ? nodeObjectIndex(this.graph.nodes, this.objects) : [])
  readonly adjacency = $derived(
    this.graph ? adjacencyEdges(this.graph.adjacency, this.nodeToObject, { minWeight: MIN_ADJACENCY, visible: this.visible }) : [],
  )
  readonly layers: number = $derived(this.graph?.attention.length ?? 0)
  readonly heads: number = $derived(this.graph?.attention[0]?.length ?? 0)
  readonly attention = $derived(
    this.graph ? objectAttention(attentionMatrix(this.graph.attention, this.layer, this.head), this.nodeToObject, this.objects.length) : null,
  )
  readonly primary: number | null = $derived(this.selected.length ? this.selected[this.selected.length - 1] : null)
  /** Attention edges: from the primary selection, else every edge above an even share. */
  readonly attentionEdges = $derived(
    this.attention
      ? attentionEdges(this.attention, {
          from: this.primary,
          minWeight: this.primary === null ? 1 / Math.max(2, this.visible.size + 1) : 0.01,
          visible: this.visible,
        })
      : [],
  )
  readonly attendsTo = $derived(this.attention && this.primary !== null ? attendsTo(this.attention, this.primary) : [])
  /** The transport plan's top labels of the hovered (else primary) object. */
  readonly transportLabels = $derived.by(() => {
    const index = this.hovered ?? this.primary
    if (index === null || !this.graph) return []
    const obj = this.objects[index]
    const node = this.graph.nodes.findIndex((n) => n.kind === 'object' && n.objectId === obj?.id)
    const fallback = this.nodeToObject.indexOf(index)
    return this.graph.transportTopLabels[node >= 0 ? node : fallback] ?? []
  })

  /** Opens photo `id`: detail, graph and neighbours (in the grid's `filter` and `sort`). */
  async open(id: number, order: { filter: PhotoFilter; sort: PhotoSort }): Promise<void> {
    const token = ++this.#token
    this.#order = order
    const same = this.id === id
    this.id = id
    this.loading = true
    this.#detailPending = true
    this.error = null
    this.graphError = null
    if (!same) {
      this.hovered = null
      this.selected = []
    }
    // start fetching the photo itself now, not after its details arrive (the <img> then hits the cache)
    if (typeof Image !== 'undefined') new Image().src = mediaUrl('photo', id)
    const { detail: detailRequest, graph: graphRequest, preview } = this.#requests(id)
    if (!same) this.preview = preview ?? null
    // The neighbours serve only ‹ › and the keys (which wait for them): asked once the photo's
    // detail and graph are in, so as not to compete with them on the engine.
    const neighboursRequest = Promise.allSettled([detailRequest, graphRequest]).then(() =>
      call('photos.neighbours', { id, filter: order.filter, sort: order.sort }),
    )
    for (const r of [detailRequest, graphRequest, neighboursRequest]) r.catch(() => undefined) // settled below; not "unhandled" meanwhile
    // Another photo's neighbours never stand for this one's: unknown until this photo's arrive
    // (the keys wait for them, see `neighbour`), and shown as soon as they do.
    if (!same) this.neighbours = { previous: null, next: null }
    this.#neighboursPending = neighboursRequest
      .catch(() => ({ previous: null, next: null }))
      .then((n) => (token === this.#token ? (this.neighbours = n) : n))
    // The photo and its boxes are drawn as soon as the detail arrives; the overlays follow with
    // the graph (it runs the head: usually the slowest of the three).
    const [detail] = await Promise.allSettled([detailRequest])
    if (token !== this.#token) return
    this.#detailPending = false
    this.preview = null
    if (!same) this.graph = null // never the previous photo's graph over this photo's objects
    // The same photo read again (its boxes may have been edited): keep the selection by object id,
    // as it is *now*. A click or Esc while the read was on its way is the user's latest word.
    const keep = same ? this.selectedObjectIds() : []
    this.detail = detail.status === 'fulfilled' ? detail.value : null
    if (same) {
      const objects = this.detail?.objects ?? []
      this.selected = keep.map((objectId) => objects.findIndex((o) => o.id === objectId)).filter((i) => i >= 0)
      this.hovered = null
    }
    this.error = detail.status === 'rejected' ? errorMessage(detail.reason) : null
    const [graph] = await Promise.allSettled([graphRequest])
    if (token !== this.#token) return
    this.graph = graph.status === 'fulfilled' ? graph.value : null
    this.graphError = graph.status === 'rejected' ? errorMessage(graph.reason) : null
    if (this.layer >= this.layers) this.layer = 0
    // Shown in full: the neighbours only serve the ‹ › buttons and keys, which wait for them.
    this.loading = false
    const next = await this.neighbour('next')
    if (token === this.#token) this.askAhead(next)
  }

  /** The photo before or after the open one in the grid's order, once known (null at either end). */
  async neighbour(direction: 'previous' | 'next'): Promise<number | null> {
    return (await this.#neighboursPending)[direction]
  }

  /** The detail and graph of `id`: asked ahead (→), else asked now. */
  #requests(id: number): Requests {
    const ahead = this.#ahead
    this.#ahead = null
    if (ahead && ahead.id === id && performance.now() - ahead.at < AHEAD_TTL_MS) return ahead
    return { detail: call('photos.get', { id }), graph: call('photos.graph', { id }) }
  }

  /**
   * Asks for a photo's detail, graph (the head runs on the server) and image before it is opened:
   * the next one while the user looks at this one (so → shows it with its overlays without
   * waiting), or one just clicked, while the photo view mounts (with its tile: the `preview`).
   */
  askAhead(id: number | null, preview?: PhotoPreview): void {
    if (id === null || id === this.#ahead?.id) return
    const detail = call('photos.get', { id })
    const graph = call('photos.graph', { id })
    for (const r of [detail, graph]) r.catch(() => undefined) // an error shows when the photo is opened
    this.#ahead = { id, at: performance.now(), detail, graph, preview }
    if (typeof Image !== 'undefined') new Image().src = mediaUrl('photo', id)
  }

  /**
   * Leaves the photo view: no photo is open, so the next one opened never shows this one (its
   * image, boxes and overlays) while its own detail is on its way. What was asked ahead is kept.
   */
  close(): void {
    this.#token++
    this.id = null
    this.detail = null
    this.graph = null
    this.preview = null
    this.loading = false
    this.#detailPending = false
    this.error = null
    this.graphError = null
    this.hovered = null
    this.selected = []
    this.neighbours = { previous: null, next: null }
    this.#neighboursPending = Promise.resolve({ previous: null, next: null })
  }

  /** Reads the open photo again (e.g. once it has been analysed), keeping the selection. */
  async reload(): Promise<void> {
    if (this.id !== null) await this.open(this.id, this.#order)
  }

  /**
   * Shows photo `photoId` with exactly these stored boxes: reads it again unless its detail is in,
   * no read of it is on its way, and its objects stand for the same stored boxes, in the same places.
   */
  async showBoxes(photoId: number, boxes: readonly AnnotationBox[]): Promise<void> {
    if (this.id !== photoId) return
    if (!this.#detailPending && this.detail?.id === photoId && standsFor(this.objects, boxes)) return
    await this.reload()
  }

  /** Turns an overlay on or off. */
  toggle(name: OverlayName, on = !this.overlays[name]): void {
    this.overlays = { ...this.overlays, [name]: on }
  }

  /** Selects object `index`; `additive` adds or removes it from the selection instead. */
  select(index: number | null, additive = false): void {
    if (index === null) this.selected = []
    else if (!additive) this.selected = this.selected.length === 1 && this.selected[0] === index ? [] : [index]
    else this.selected = this.selected.includes(index) ? this.selected.filter((i) => i !== index) : [...this.selected, index]
  }

  /** Stored object ids of the selected objects (for a search by objects). */
  selectedObjectIds(): number[] {
    return this.selected.map((i) => this.objects[i]?.id).filter((id): id is number => id !== undefined)
  }
}
