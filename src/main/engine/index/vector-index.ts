/**
 * One USearch HNSW index (cosine) of photo or object embeddings, saved beside a meta file,
 * updated incrementally, and checked against the store (the source of truth) when opened.
 * Libraries up to `exactThreshold` vectors also keep their vectors in memory and are searched
 * exactly. Everything is synchronous: run it where blocking is fine (the engine worker).
 * A saved index is opened as a memory-mapped view (0.4 s instead of 4.8 s for 724,000 object
 * vectors: searching needs nothing more) and read into memory at its first change.
 */
import { mkdirSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Index, Matches } from 'usearch'
import { buildIndex, checkedVector, createNativeIndex, loadExactStore, vectorProblem } from './build-index.js'
import { exactTopKStream, type SearchHit } from './exact-search.js'
import type { ExactStore } from './exact-store.js'
import { commitIndexFile, digestFile, fsyncFile, META_VERSION, removeLeftovers, tempPathFor } from './index-files.js'
import {
  DEFAULT_INDEX_OPTIONS, type OpenReport, type SearchOptions, type VectorIndexOptions,
} from './index-options.js'
import { KeySetHash } from './key-set-hash.js'
import { checkSavedIndex, type OpenReason, type SavedIndexCheck } from './saved-index-check.js'
import { toKey, type VectorKey, type VectorSource } from './vector-source.js'

export { DEFAULT_INDEX_OPTIONS } from './index-options.js'
export type { OpenReport, SearchOptions, VectorIndexOptions } from './index-options.js'
export type { OpenReason } from './saved-index-check.js'
export type { SearchHit, KeyFilter } from './exact-search.js'
export type { Quantization } from './index-files.js'

/** A cosine vector index backed by a USearch file and validated against a `VectorSource`. */
export class VectorIndex {
  private closed = false
  private dirtyFlag = false
  /** True while `native` is a read-only memory-mapped view of `file` (see `writable`). */
  private viewed: boolean

  private constructor(
    /** Path of the `.usearch` file. */
    readonly file: string,
    /** Vector length. */
    readonly dims: number,
    private readonly source: VectorSource,
    private readonly opts: Required<VectorIndexOptions>,
    private native: Index,
    private readonly keyHash: KeySetHash,
    private store: ExactStore | undefined,
    /** How the index was obtained at open. */
    readonly openReport: OpenReport,
    viewed = false,
  ) {
    this.viewed = viewed
  }

  /**
   * Opens the index saved at `file`, or rebuilds it from `source` (and saves it) when the file is
   * missing, damaged, half-written, built with other settings, or disagrees with the source.
   */
  static open(file: string, dims: number, source: VectorSource, options: VectorIndexOptions = {}): VectorIndex {
    const started = performance.now()
    const opts = { ...DEFAULT_INDEX_OPTIONS, ...options }
    if (!Number.isInteger(dims) || dims <= 0) throw new RangeError(`dims must be a positive integer, got ${dims}`)
    if (!opts.readOnly) mkdirSync(dirname(file), { recursive: true })
    const leftovers = opts.readOnly ? [] : removeLeftovers(file)
    const report = (rebuilt: boolean, reason: OpenReason, detail: string, invalid: OpenReport['invalid'] = []): OpenReport =>
      ({ rebuilt, reason, detail, leftovers, invalid, elapsedMs: performance.now() - started })

    let check: SavedIndexCheck = checkSavedIndex(file, dims, opts.quantization, source)
    if (check.ok) {
      const { meta } = check
      try {
        const native = createNativeIndex(dims, opts)
        native.view(file) // the checks above ran first: a damaged file never reaches USearch
        if (native.size() !== meta.count || native.dimensions() !== dims) {
          throw new Error(`loaded ${native.size()} x ${native.dimensions()}-d, meta says ${meta.count} x ${dims}-d`)
        }
        const keyHash = KeySetHash.parse(meta.keyHash) ?? KeySetHash.of(source.keys())
        const store = meta.count <= opts.exactThreshold ? loadExactStore(dims, source) : undefined
        const r = report(false, 'loaded', `loaded ${meta.count} vectors (memory-mapped until the first change)`)
        return new VectorIndex(file, dims, source, opts, native, keyHash, store, r, true)
      } catch (e) {
        check = { ok: false, reason: 'load-failed', detail: e instanceof Error ? e.message : String(e) }
      }
    }
    const built = buildIndex(dims, source, opts)
    const r = report(true, check.reason, check.detail, built.invalid)
    const index = new VectorIndex(file, dims, source, opts, built.native, built.keyHash, built.store, r)
    if (!opts.readOnly) index.save()
    r.elapsedMs = performance.now() - started
    return index
  }

  /** Number of vectors in the index. */
  get size(): number {
    return this.live().size()
  }

  /** 'exact' while the vectors are kept in memory (small libraries), else 'hnsw'. */
  get mode(): 'exact' | 'hnsw' {
    return this.store ? 'exact' : 'hnsw'
  }

  /** Whether there are changes not yet saved. */
  get dirty(): boolean {
    return this.dirtyFlag
  }

  /** Whether `key` is in the index. */
  has(key: VectorKey): boolean {
    return this.live().contains(BigInt(toKey(key))) as boolean
  }

  /** Adds the vector of `key`, replacing the one it had. Write it to the store first. */
  add(key: VectorKey, vector: Float32Array): void {
    const k = toKey(key)
    const v = checkedVector(vector, this.dims, k)
    const native = this.writable()
    const big = BigInt(k)
    if (native.contains(big)) native.remove(big)
    else this.keyHash.add(k)
    native.add(BigUint64Array.of(big), v, 1)
    if (this.store) {
      this.store.set(k, v)
      // Hysteresis: keep exact search until the library is clearly past the threshold.
      if (this.store.size > this.opts.exactThreshold * 1.25) this.store = undefined
    }
    this.dirtyFlag = true
  }

  /** Removes `key`; returns whether it was present. Remove it from the store too. */
  remove(key: VectorKey): boolean {
    const k = toKey(key)
    const native = this.live()
    if (!native.contains(BigInt(k))) return false
    const removed = (this.writable().remove(BigInt(k)) as number) > 0
    if (removed) {
      this.keyHash.remove(k)
      this.store?.delete(k)
      this.dirtyFlag = true
    }
    return removed
  }

  /**
   * The `k` nearest vectors to `query` by cosine similarity, best first. Exact for small
   * libraries or with `exact`; otherwise HNSW, over-fetching candidates when a filter is given
   * (x4 per round up to `maxOverFetch`, then an exact filtered scan of the source).
   */
  search(query: Float32Array, k: number, options: SearchOptions = {}): SearchHit[] {
    const q = checkedVector(query, this.dims, 'query')
    if (!Number.isInteger(k)) throw new RangeError(`k must be an integer, got ${k}`)
    const native = this.live()
    const size = native.size()
    if (k <= 0 || size === 0) return []
    const { filter, exact } = options
    if (this.store) return this.store.search(q, k, filter)
    if (exact) return exactTopKStream(this.sourceRows(), q, k, filter)
    let fetch = filter ? Math.max(4 * k, 64) : k
    for (;;) {
      const want = Math.min(fetch, size)
      const m = native.search(q, want, 1) as Matches
      const hits: SearchHit[] = []
      for (let i = 0; i < m.keys.length && hits.length < k; i++) {
        const key = Number(m.keys[i])
        if (!filter || filter(key)) hits.push({ key, similarity: 1 - m.distances[i] })
      }
      if (hits.length >= k || want >= size) return hits
      if (want >= this.opts.maxOverFetch) return exactTopKStream(this.sourceRows(), q, k, filter)
      fetch *= 4
    }
  }

  /** Writes the index atomically (temp file, fsync, rename, then the meta file). */
  save(): void {
    if (this.opts.readOnly) throw new Error(`vector index ${this.file} was opened read-only`)
    const native = this.live()
    const tmp = tempPathFor(this.file)
    try {
      native.save(tmp)
      fsyncFile(tmp)
      const digest = digestFile(tmp)
      commitIndexFile(tmp, this.file, {
        format: 'constella-vector-index', version: META_VERSION, metric: 'cos', dims: this.dims,
        quantization: this.opts.quantization, connectivity: native.connectivity(), count: native.size(),
        keyHash: this.keyHash.toString(), fingerprint: this.source.fingerprint?.() ?? null,
        fileBytes: digest.bytes, fileSha256: digest.sha256, savedAt: new Date().toISOString(),
      })
    } finally {
      rmSync(tmp, { force: true })
    }
    this.dirtyFlag = false
  }

  /**
   * Saves pending changes (unless `save: false`) and drops the index. USearch frees its native
   * memory when the JS object is garbage-collected.
   */
  close(options: { save?: boolean } = {}): void {
    if (this.closed) return
    if (this.dirtyFlag && options.save !== false && !this.opts.readOnly) this.save()
    this.closed = true
    this.store = undefined
    this.native = undefined as unknown as Index
  }

  /**
   * The index, in memory: USearch cannot change a memory-mapped view, so the first change since
   * open reads the file into memory (the same object: its mapping is released).
   */
  private writable(): Index {
    const native = this.live()
    if (this.viewed) {
      native.load(this.file)
      this.viewed = false
    }
    return native
  }

  private live(): Index {
    if (this.closed) throw new Error(`vector index ${this.file} is closed`)
    return this.native
  }

  private *sourceRows(): IterableIterator<[number, Float32Array]> {
    for (const [k, v] of this.source.entries()) if (vectorProblem(v, this.dims) === undefined) yield [toKey(k), v]
  }
}
