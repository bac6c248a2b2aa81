/**
 * An open library: the one owner of its SQLite store, its two vector indexes and the inference
 * engine process, plus the loaded model parts the pipeline needs. Close it to save the indexes.
 * A writer holds the library's lock (library-lock.ts) from open to close; `readOnly` opens
 * (search beside a running index or app) take no lock and never write.
 */
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { decodeHead, type HeadParams } from '../head/head-params.js'
import { openIndexes, type IndexSet } from '../index/index-set.js'
import { findModel, readManifest, readVerifiedModel, defaultPackDir } from '../models/pack.js'
import type { ModelManifest } from '../models/manifest.js'
import type { ProviderSetting } from '../models/sessions.js'
import { modelVersionOf } from '../store/index.js'
import { LibraryStore } from '../store/index.js'
import { InferenceEngine } from '../worker/inference-client.js'
import { BackboneExtractor } from '../pipeline/backbone.js'
import { CenterNetDetector } from '../pipeline/detect.js'
import { parseFeatureSource } from '../pipeline/features.js'
import type { AnalyzerParts } from '../analysis/analyze-photo.js'
import { libraryPaths, type LibraryPaths } from './library-paths.js'
import { acquireLibraryLock, type LibraryLock, type LockOwner } from './library-lock.js'
import { damagedVectors, requeueDamaged, type DamagedVector } from './vector-repair.js'
import { asLibraryDbError } from '../store/errors.js'
import { METHODS, storeVectorSource } from './store-vector-source.js'
import type { SearchContext } from '../search/context.js'
import { librarySearchContext } from './search-context.js'
import { dropMismatchedHeadInputs } from './head-inputs.js'

/** Options of `Library.open`. */
export interface LibraryOptions {
  dir?: string
  packDir?: string
  provider?: ProviderSetting
  /** Use an engine the caller owns (it is not disposed on close). */
  engine?: InferenceEngine
  /**
   * Open for reading beside the library's owner: no lock, SQLite read-only, indexes rebuilt in
   * memory if stale but never saved, no temp file deleted. The library must exist.
   */
  readOnly?: boolean
  /** Who the lock names as the owner (writers): command, and whether it is the app. */
  owner?: LockOwner
}

/** Score below which detections are kept only as label evidence (graph nodes need tau = 0.25). */
export const EVIDENCE_THRESHOLD = 0.05

/** One open library. */
export class Library {
  private constructor(
    readonly paths: LibraryPaths,
    readonly store: LibraryStore,
    readonly indexes: IndexSet,
    readonly engine: InferenceEngine,
    readonly manifest: ModelManifest,
    private currentHead: HeadParams,
    readonly parts: AnalyzerParts,
    /** Model version strings recorded with every stored result. */
    readonly versions: { detector: string; head: string },
    private readonly ownsEngine: boolean,
    /** The lock this (writing) library holds; undefined when opened read-only. */
    readonly lock: LibraryLock | undefined,
    /**
     * Stored vectors found damaged at open and left out of the indexes. A writer has sent their
     * photos back to pending (the next index run analyses them again); a reader only reports them.
     */
    readonly damaged: DamagedVector[],
  ) {}

  /** The head analysis and search use. */
  get head(): HeadParams {
    return this.currentHead
  }

  /**
   * Switches the open library to another head once its vectors are stored and indexed (the app's
   * head activation): analysis, search and recorded versions use it from here on.
   */
  useHead(head: HeadParams, headGraph: AnalyzerParts['headGraph'], version: string): void {
    this.currentHead = head
    Object.assign(this.parts, { head, headGraph })
    this.versions.head = version
  }

  /** Whether this library was opened read-only. */
  get readOnly(): boolean {
    return this.lock === undefined
  }

  /** What search and the photo view read of this library (`search(lib, ...)` uses it). */
  searchContext(): SearchContext {
    return librarySearchContext(this)
  }

  /** Opens (creating if needed) the library in `options.dir`. */
  static async open(options: LibraryOptions = {}): Promise<Library> {
    const paths = libraryPaths(options.dir)
    if (options.readOnly) return Library.openParts(paths, options, undefined)
    mkdirSync(paths.dir, { recursive: true })
    const lock = acquireLibraryLock(paths.dir, options.owner)
    try {
      return await Library.openParts(paths, options, lock)
    } catch (error) {
      lock.release()
      throw error
    }
  }

  private static async openParts(paths: LibraryPaths, options: LibraryOptions, lock: LibraryLock | undefined): Promise<Library> {
    const readOnly = lock === undefined
    const packDir = options.packDir ?? defaultPackDir()
    const manifest = readManifest(packDir)
    const headEntry = findModel(manifest, 'sarl-gat-head')
    const head = decodeHead(readVerifiedModel(packDir, headEntry), path.join(packDir, headEntry.file))
    const detectorEntry = findModel(manifest, 'centernet-mobilenetv3')
    const engine = options.engine ?? new InferenceEngine({ packDir, provider: options.provider })
    const detector = new CenterNetDetector(engine, detectorEntry.name, { scoreThreshold: EVIDENCE_THRESHOLD })
    const source = parseFeatureSource(head.header.featureSource)
    const backbone = source.model === detectorEntry.name
      ? undefined
      : new BackboneExtractor(engine, source.model, findModel(manifest, source.model).preprocessing)
    const store = LibraryStore.open(paths.database, { readOnly })
    let indexes: IndexSet | undefined
    let damaged: DamagedVector[]
    try {
      if (!readOnly) {
        for (const entry of [detectorEntry, headEntry]) {
          store.models.register({ name: entry.name, role: entry.role, sha256: entry.sha256, source: entry.source })
        }
        dropMismatchedHeadInputs(store, head.header.featureDim, head.header.classNames.length)
      }
      const width = head.header.heads * head.header.headDim
      indexes = openIndexes(paths.indexDir, {
        photoDims: width,
        objectDims: width,
        photoSource: storeVectorSource(store, METHODS.photo),
        objectSource: storeVectorSource(store, METHODS.object),
        options: { readOnly },
      })
      damaged = damagedVectors(store, indexes)
      if (!readOnly) requeueDamaged(store, indexes, damaged)
    } catch (error) {
      try {
        indexes?.close({ save: false })
        store.close()
      } catch {
        // already failing: report the first error
      }
      if (!options.engine) await engine.dispose()
      throw asLibraryDbError(store.file, error)
    }
    const versions = { detector: modelVersionOf(detectorEntry.name, detectorEntry.sha256), head: modelVersionOf(headEntry.name, headEntry.sha256) }
    // the head's ONNX graph, if the pack has one built from exactly these parameters
    const headGraph = manifest.models.find((m) => m.role === 'head-graph' && m.preprocessing.headParamsSha256 === headEntry.sha256)
    const parts: AnalyzerParts = { detector, backbone, head, headGraph: headGraph && { runner: engine, model: headGraph.name } }
    return new Library(paths, store, indexes, engine, manifest, head, parts, versions, !options.engine, lock, damaged)
  }

  /** Saves the indexes (writers) and releases everything this library owns, the lock last. */
  async close(): Promise<void> {
    try {
      try {
        this.indexes.close()
      } finally {
        this.store.close()
      }
    } finally {
      try {
        if (this.ownsEngine) await this.engine.dispose()
      } finally {
        this.lock?.release()
      }
    }
  }
}
