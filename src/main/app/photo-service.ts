/**
 * What the grid and the photo view read: keyset pages of photo cards, counts, a photo's detail
 * (objects grouped per physical object, effective labels), its neighbours in a grid order, and
 * its SARL-GAT graph (the head run again on its stored inputs).
 */
import path from 'node:path'
import type {
  GraphNodeView,
  PhotoCardPage,
  PhotoDetail,
  PhotoGraphView,
  PhotoLabel,
  ParsedRequest,
} from '../../shared/api-contract.js'
import { ApiError } from '../../shared/envelope.js'
import type { Library } from '../engine/library/library.js'
import { photoGraph } from '../engine/search/photo-graph.js'
import { METHODS } from '../engine/store/embedding-methods.js'
import { PhotoCursorError, PhotoQueryRepository, type PhotoQueryFilter } from '../engine/store/photo-query-repository.js'
import { groupObjects } from './photo-objects.js'
import { toApiError } from './engine-errors.js'

/** Names shown per card. */
const CARD_LABELS = 5

/** A photo's version in its media URLs: the first 16 hex digits of its content hash. */
const photoVersion = (contentHash: string): string => contentHash.slice(0, 16)

/** Grid filter of the contract -> the store's (the same fields). */
function storeFilter(filter: ParsedRequest<'photos.count'>['filter']): PhotoQueryFilter {
  return filter
}

/** Photos of one library as the views read them. */
export class PhotoService {
  private readonly query: PhotoQueryRepository

  constructor(
    private readonly lib: Library,
    /** The library folder holding a file (the detail's `folder`). */
    private readonly folderOf: (file: string) => string | undefined,
    /** Names of classes beyond the head's (the library's own vocabulary). */
    private readonly vocabularyName?: (classId: number) => string,
  ) {
    this.query = new PhotoQueryRepository(lib.store.db, Date.now)
  }

  private className = (classId: number): string => this.lib.head.header.classNames[classId] ?? this.vocabularyName?.(classId) ?? `class ${classId}`

  /** One page of cards. */
  list(request: ParsedRequest<'photos.list'>): PhotoCardPage {
    let page
    try {
      page = this.query.page({ filter: storeFilter(request.filter), sort: request.sort, cursor: request.cursor, offset: request.offset, limit: request.limit })
    } catch (err) {
      if (err instanceof PhotoCursorError) throw new ApiError('bad-request', `${err.message}: start again without a cursor`)
      throw err
    }
    const labels = this.query.positiveLabels(page.rows.map((r) => r.id))
    return {
      items: page.rows.map((r) => ({
        id: r.id, name: r.name, width: r.width, height: r.height, status: r.status, objects: r.objectCount,
        labels: (labels.get(r.id) ?? []).slice(0, CARD_LABELS).map(this.className), error: r.error, version: photoVersion(r.contentHash), thumbnail: r.hasThumbnail,
      })),
      nextCursor: page.nextCursor,
      offset: page.offset,
    }
  }

  /** How many photos match a filter. */
  count(filter: ParsedRequest<'photos.count'>['filter']): number {
    return this.query.count(storeFilter(filter))
  }

  /** The photos before and after one in a grid order. */
  neighbours(request: ParsedRequest<'photos.neighbours'>): { previous: number | null; next: number | null } {
    this.require(request.id)
    return this.query.neighbours(request.id, storeFilter(request.filter), request.sort)
  }

  /** Everything the photo view shows besides the graph. */
  get(id: number): PhotoDetail {
    const p = this.require(id)
    const labels: PhotoLabel[] = this.lib.store.labels.effective(id)
      .map((l) => ({ classId: l.classId, className: this.className(l.classId), state: l.state, source: l.source, confidence: l.confidence }))
      .sort((a, b) => Number(b.state === 'positive') - Number(a.state === 'positive') || (b.confidence ?? 2) - (a.confidence ?? 2) || a.classId - b.classId)
    return {
      id, path: p.path, name: path.basename(p.path), folder: this.folderOf(p.path) ?? path.dirname(p.path),
      width: p.width, height: p.height, format: p.format, bytes: p.bytes, status: p.status, error: p.error, indexedAt: p.indexedAt,
      version: photoVersion(p.contentHash),
      objects: groupObjects(this.lib.store.objects.listByPhoto(id), this.className,
        (objectId) => this.lib.store.embeddings.get({ kind: 'object', objectId }, METHODS.objectEvidence)?.vector),
      labels,
    }
  }

  /** The photo's graph: nodes, OT adjacency, transport top labels, attention, label scores. */
  async graph(id: number): Promise<PhotoGraphView> {
    this.require(id)
    let g
    try {
      g = await photoGraph(this.lib, id)
    } catch (err) {
      throw toApiError(err)
    }
    const n = g.nodes.length
    const square = (m: ArrayLike<number>): number[][] => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => m[i * n + j]))
    const nodes: GraphNodeView[] = g.nodes.map((node) => node.kind === 'photo' ? { kind: 'photo' }
      : { kind: 'object', objectId: node.objectId, classId: node.classId, className: node.className, box: node.box, score: node.score })
    const header = this.lib.head.header
    return {
      nodes,
      adjacency: square(g.adjacency),
      transportTopLabels: g.transportTopLabels,
      attention: g.attention.map((layer) => layer.map(square)),
      labelScores: Array.from(g.labelScores),
      sinkhorn: g.sinkhorn,
      model: `${this.lib.versions.head.split('@')[0]} (${header.description.split(/[:.(]/)[0].trim()})`,
    }
  }

  private require(id: number) {
    const photo = this.lib.store.photos.get(id)
    if (!photo) throw new ApiError('not-found', `there is no photo ${id} in the library`)
    return photo
  }
}
