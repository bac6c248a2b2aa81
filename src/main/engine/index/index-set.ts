/**
 * The two vector indexes of one library: photo embeddings (one per photo, keyed by photo id) and
 * object embeddings (one per detected object, keyed by object id), stored side by side in the
 * library's index folder as `photos.usearch` and `objects.usearch` (+ their meta files).
 */
import { join } from 'node:path'
import { VectorIndex, type OpenReport, type VectorIndexOptions } from './vector-index.js'
import type { VectorSource } from './vector-source.js'

/** What `openIndexes` needs: each index's dimensions and its source in the store. */
export interface IndexSetConfig {
  photoDims: number
  objectDims: number
  photoSource: VectorSource
  objectSource: VectorSource
  /** Options shared by both indexes (quantization, HNSW tuning, exact threshold). */
  options?: VectorIndexOptions
  /** Per-index overrides, applied over `options`. */
  photoOptions?: VectorIndexOptions
  objectOptions?: VectorIndexOptions
}

/** File names inside the index folder. */
export const INDEX_FILES = { photos: 'photos.usearch', objects: 'objects.usearch' } as const

/** The open photo and object indexes of a library; one owner per folder. */
export class IndexSet {
  constructor(
    /** Index of photo embeddings, keyed by photo id. */
    readonly photos: VectorIndex,
    /** Index of object embeddings, keyed by object id. */
    readonly objects: VectorIndex,
  ) {}

  /** How each index was obtained (loaded, or rebuilt and why). */
  get reports(): { photos: OpenReport; objects: OpenReport } {
    return { photos: this.photos.openReport, objects: this.objects.openReport }
  }

  /** Saves whichever index has unsaved changes. */
  save(): void {
    if (this.photos.dirty) this.photos.save()
    if (this.objects.dirty) this.objects.save()
  }

  /** Saves pending changes (unless `save: false`) and releases both indexes. */
  close(options: { save?: boolean } = {}): void {
    try {
      this.photos.close(options)
    } finally {
      this.objects.close(options)
    }
  }
}

/**
 * Opens (or rebuilds from the store) both indexes of the library whose index folder is `dir`;
 * the folder is created when missing.
 */
export function openIndexes(dir: string, config: IndexSetConfig): IndexSet {
  const photos = VectorIndex.open(join(dir, INDEX_FILES.photos), config.photoDims, config.photoSource,
    { ...config.options, ...config.photoOptions })
  try {
    const objects = VectorIndex.open(join(dir, INDEX_FILES.objects), config.objectDims, config.objectSource,
      { ...config.options, ...config.objectOptions })
    return new IndexSet(photos, objects)
  } catch (e) {
    photos.close({ save: false })
    throw e
  }
}
