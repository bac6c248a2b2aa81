/**
 * An open library: the one owner of its SQLite store, its two vector indexes and the inference
 * engine process, plus the loaded model parts the pipeline needs. Close it to save the indexes.
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
import type { AnalyzerParts } from '../pipeline/analyze-photo.js'
import { libraryPaths, type LibraryPaths } from './library-paths.js'
import { METHODS, storeVectorSource } from './store-vector-source.js'

/** Options of `Library.open`. */
export interface LibraryOptions {
  dir?: string
  packDir?: string
  provider?: ProviderSetting
  /** Use an engine the caller owns (it is not disposed on close). */
  engine?: InferenceEngine
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
    readonly head: HeadParams,
    readonly parts: AnalyzerParts,
    /** Model version strings recorded with every stored result. */
    readonly versions: { detector: string; head: string },
    private readonly ownsEngine: boolean,
  ) {}

  /** Opens (creating if needed) the library in `options.dir`. */
  static async open(options: LibraryOptions = {}): Promise<Library> {
    const paths = libraryPaths(options.dir)
    mkdirSync(paths.dir, { recursive: true })
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
    const store = LibraryStore.open(paths.database)
    const versions = { detector: modelVersionOf(detectorEntry.name, detectorEntry.sha256), head: modelVersionOf(headEntry.name, headEntry.sha256) }
    for (const entry of [detectorEntry, headEntry]) {
      store.models.register({ name: entry.name, role: entry.role, sha256: entry.sha256, source: entry.source })
    }
    const width = head.header.heads * head.header.headDim
    const indexes = openIndexes(paths.indexDir, {
      photoDims: width,
      objectDims: width,
      photoSource: storeVectorSource(store, METHODS.photo),
      objectSource: storeVectorSource(store, METHODS.object),
    })
    // the head's ONNX graph, if the pack has one built from exactly these parameters
    const headGraph = manifest.models.find((m) => m.role === 'head-graph' && m.preprocessing.headParamsSha256 === headEntry.sha256)
    const parts: AnalyzerParts = { detector, backbone, head, headGraph: headGraph && { runner: engine, model: headGraph.name } }
    return new Library(paths, store, indexes, engine, manifest, head, parts, versions, !options.engine)
  }

  /** Saves the indexes and releases everything this library owns. */
  async close(): Promise<void> {
    try {
      this.indexes.close()
      this.store.close()
    } finally {
      if (this.ownsEngine) await this.engine.dispose()
    }
  }
}
