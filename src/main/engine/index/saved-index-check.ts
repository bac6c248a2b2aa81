/**
 * Decides whether a saved index can be trusted: its meta must exist and match the requested
 * configuration, the file must have the recorded size and sha256, and the source must hold
 * exactly the recorded key set (and fingerprint). Cheap checks run first; the file checksum
 * (one sequential read, ~1 GB/s) runs last, and always before USearch parses the file, so a
 * damaged file never reaches the native loader.
 */
import { existsSync, statSync } from 'node:fs'
import { digestFile, readMeta, type IndexMeta, type Quantization } from './index-files.js'
import { KeySetHash } from './key-set-hash.js'
import type { VectorSource } from './vector-source.js'

/** Why an index was (or was not) rebuilt when opened. */
export type OpenReason =
  | 'loaded'
  | 'index-missing'
  | 'meta-missing'
  | 'meta-invalid'
  | 'config-changed'
  | 'size-mismatch'
  | 'count-mismatch'
  | 'fingerprint-mismatch'
  | 'keys-mismatch'
  | 'checksum-mismatch'
  | 'load-failed'

/** Outcome of checking a saved index against its meta and the source. */
export type SavedIndexCheck =
  | { ok: true; meta: IndexMeta }
  | { ok: false; reason: Exclude<OpenReason, 'loaded'>; detail: string }

/** Runs every check short of loading the file into USearch. */
export function checkSavedIndex(
  file: string, dims: number, quantization: Quantization, source: VectorSource,
): SavedIndexCheck {
  if (!existsSync(file)) return { ok: false, reason: 'index-missing', detail: `${file} does not exist` }
  const meta = readMeta(file)
  if (meta === undefined) {
    return { ok: false, reason: 'meta-missing', detail: 'index file has no meta file (interrupted save?)' }
  }
  if (meta instanceof Error) return { ok: false, reason: 'meta-invalid', detail: meta.message }
  if (meta.dims !== dims || meta.quantization !== quantization) {
    return {
      ok: false, reason: 'config-changed',
      detail: `saved ${meta.dims}-d ${meta.quantization}, wanted ${dims}-d ${quantization}`,
    }
  }
  const bytes = statSync(file).size
  if (bytes !== meta.fileBytes) {
    return { ok: false, reason: 'size-mismatch', detail: `file has ${bytes} bytes, meta says ${meta.fileBytes}` }
  }
  const count = source.count()
  if (count !== meta.count) {
    return { ok: false, reason: 'count-mismatch', detail: `source has ${count} vectors, index ${meta.count}` }
  }
  const fingerprint = source.fingerprint?.() ?? null
  if (fingerprint !== null && fingerprint !== meta.fingerprint) {
    return { ok: false, reason: 'fingerprint-mismatch', detail: `source ${fingerprint}, index ${meta.fingerprint}` }
  }
  const keyHash = KeySetHash.of(source.keys()).toString()
  if (keyHash !== meta.keyHash) {
    return { ok: false, reason: 'keys-mismatch', detail: `source key set ${keyHash}, index ${meta.keyHash}` }
  }
  const digest = digestFile(file)
  if (digest.sha256 !== meta.fileSha256) {
    return { ok: false, reason: 'checksum-mismatch', detail: 'index file sha256 differs from its meta' }
  }
  return { ok: true, meta }
}
