/**
 * Records the library store reads and writes. Times are milliseconds since the Unix epoch;
 * boxes are in the original photo's pixels; vectors are float32.
 */
import type { Box } from '../../../shared/domain.js'

/** Where a photo is in indexing. */
export type PhotoStatus = 'pending' | 'indexed' | 'failed'

/** One photo of the library, keyed by its path. */
export interface PhotoRecord {
  /** Stable id: never reused after a photo is pruned (also the key of photo vectors in the index). */
  id: number
  path: string
  /** sha256 (hex) of the file's bytes. */
  contentHash: string
  bytes: number
  mtimeMs: number
  width: number | null
  height: number | null
  /** Decoded format, e.g. "jpeg". */
  format: string | null
  status: PhotoStatus
  /** Why indexing failed (status "failed"), for the user. */
  error: string | null
  /** Path of the cached thumbnail, when one was made. */
  thumbnail: string | null
  indexedAt: number | null
  /** The run that last saw the file on disk. */
  runId: number | null
}

/** A file found by a scan, before the store decides what it is. */
export interface ScannedFile {
  path: string
  contentHash: string
  bytes: number
  mtimeMs: number
}

/**
 * What a scan found: a new photo, an unchanged one (skip), a modified one (analyse again), a
 * moved/renamed one (same row, analysis kept) or a duplicate of a photo already indexed
 * (analysis copied, nothing to compute).
 */
export type ScanChange = 'new' | 'unchanged' | 'modified' | 'moved' | 'duplicate'

/** The result of recording one scanned file. */
export interface ScanOutcome {
  change: ScanChange
  photo: PhotoRecord
  /** For "moved": the path the photo had before. */
  previousPath?: string
  /** For "duplicate": the photo with the same content whose analysis was reused (when it had one). */
  duplicateOf?: number
}

/** Axis-aligned box `[x1, y1, x2, y2]`, in the photo's original pixels (the engine's one box type). */
export type { Box } from '../../../shared/domain.js'

/** Who made an object box. */
export type ObjectSource = 'detector' | 'human'

/** A detected (or drawn) object of a photo. */
export interface ObjectRecord {
  id: number
  photoId: number
  box: Box
  classId: number
  /** Detector score in [0, 1]; null for boxes drawn by a person. */
  score: number | null
  source: ObjectSource
  modelVersion: string | null
  createdAt: number
}

/** State of one class for one photo: the partial labels of ML-SGM (known +, known -, unknown). */
export type LabelState = 'positive' | 'negative' | 'unknown'

/** Who set a label. */
export type LabelSource = 'model' | 'human'

/** One label row; a photo may have a model row and a human row for the same class. */
export interface LabelRecord {
  photoId: number
  classId: number
  state: LabelState
  source: LabelSource
  modelVersion: string | null
  confidence: number | null
  updatedAt: number
}

/** One entry of the append-only log of human label corrections. */
export interface LabelCorrection {
  id: number
  photoId: number
  /** Content of the photo when corrected: lets a correction be re-attached after a prune. */
  contentHash: string
  classId: number
  /** Effective state before the correction (human if any, else model), null if none. */
  oldState: LabelState | null
  oldSource: LabelSource | null
  newState: LabelState
  actor: string
  at: number
  note: string | null
}

/** What an embedding belongs to. */
export type EmbeddingOwner = { kind: 'photo'; photoId: number } | { kind: 'object'; objectId: number }

/** A stored vector with its provenance. */
export interface EmbeddingRecord {
  kind: 'photo' | 'object'
  /** Photo id or object id, by kind. */
  ownerId: number
  /** The photo the owner belongs to. */
  photoId: number
  method: string
  modelVersion: string
  vector: Float32Array
}

/** Kinds of recorded runs. */
export type RunKind = 'index' | 'eval' | 'train' | 'cluster' | 'export'

/** Run states; a run left "running" by a killed process can be resumed. */
export type RunStatus = 'running' | 'completed' | 'failed' | 'cancelled'

/** One run (job) of the engine. */
export interface RunRecord {
  id: number
  kind: RunKind
  status: RunStatus
  startedAt: number
  finishedAt: number | null
  counts: Record<string, number>
  args: Record<string, unknown>
  error: string | null
}

/** A registered model file. */
export interface ModelVersionRecord {
  /** `name@sha256[0..12]`: the value stored in objects/labels/embeddings `model_version`. */
  version: string
  name: string
  role: string
  sha256: string
  /** Where the weights came from, e.g. "@vladmandic/human@3.3.6" or "user file". */
  source: string
  registeredAt: number
}
