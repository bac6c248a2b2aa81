/**
 * The cache of per-photo head inputs of a labelled set: the detector's pass over each photo
 * (F_0, photo evidence, and per object F_i, class and evidence: a {@link GraphInput}) with its
 * labels, written once so that training and every evaluation of a trained head never run the
 * detector again.
 *
 * File layout (little-endian): "CNHINP1\n", a uint32 header length, a UTF-8 JSON header
 * ({@link CacheHeader}), zero padding to a multiple of 4, then float32 data. Every typed-array
 * field of a GraphInput and of its objects is stored in the data at the offset named in the
 * header; every other field is kept in the header as JSON, so fields added to GraphInput later
 * round-trip without a format change.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import type { GraphInput } from '../head/graph-embed.js'

/** One cached photo: where it came from, its labels and the head's input. */
export interface CachedPhoto {
  file: string
  /** Known positive class ids. */
  labels: number[]
  /**
   * Known negative class ids; undefined means every class not in `labels` is a known negative
   * (a fully labelled set such as coco-dev). Classes in neither list are unknown (ignored by the loss).
   */
  negatives?: number[]
  split?: string
  /** The photo file's size and mtime when it was analysed ("bytes:mtimeMs"). */
  stamp?: string
  input: GraphInput
}

/** What the cache was computed with (a cache of other models must not be reused). */
export interface CacheSource {
  /** Model version of the detector (name and sha256) the inputs came from. */
  detector: string
  featureSource: string
  featureDim: number
  classNames: string[]
}

/** The cache's header as stored. */
interface CacheHeader extends CacheSource {
  format: 'constella-head-inputs'
  formatVersion: 1
  photos: StoredPhoto[]
}

type FieldRefs = Record<string, { offset: number; length: number }>
interface StoredPhoto {
  file: string
  labels: number[]
  negatives?: number[]
  split?: string
  stamp?: string
  scalars: Record<string, unknown>
  arrays: FieldRefs
  objects: { scalars: Record<string, unknown>; arrays: FieldRefs }[]
}

/** A loaded cache. */
export interface InputCache {
  source: CacheSource
  photos: CachedPhoto[]
}

const MAGIC = 'CNHINP1\n'

/** Encodes a cache. */
export function encodeInputCache(cache: InputCache): Uint8Array {
  const chunks: Float32Array[] = []
  let offset = 0
  const split = (value: object) => {
    const scalars: Record<string, unknown> = {}
    const arrays: FieldRefs = {}
    for (const [key, v] of Object.entries(value)) {
      if (key === 'objects') continue
      if (v instanceof Float32Array) {
        arrays[key] = { offset, length: v.length }
        chunks.push(v)
        offset += v.length
      } else scalars[key] = v
    }
    return { scalars, arrays }
  }
  const photos: StoredPhoto[] = cache.photos.map((p) => ({
    file: p.file,
    labels: p.labels,
    negatives: p.negatives,
    split: p.split,
    stamp: p.stamp,
    ...split(p.input),
    objects: p.input.objects.map((o) => split(o)),
  }))
  const header: CacheHeader = { format: 'constella-head-inputs', formatVersion: 1, ...cache.source, photos }
  const json = new TextEncoder().encode(JSON.stringify(header))
  const start = Math.ceil((12 + json.length) / 4) * 4
  const bytes = new Uint8Array(start + offset * 4)
  bytes.set(new TextEncoder().encode(MAGIC), 0)
  new DataView(bytes.buffer).setUint32(8, json.length, true)
  bytes.set(json, 12)
  const floats = new Float32Array(bytes.buffer, start, offset)
  let at = 0
  for (const c of chunks) {
    floats.set(c, at)
    at += c.length
  }
  return bytes
}

/** Decodes a cache; errors name the file. */
export function decodeInputCache(bytes: Uint8Array, file = 'cache'): InputCache {
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) throw new Error(`${file} is not a Constella head-input cache`)
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true)
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + length))) as CacheHeader
  if (header.formatVersion !== 1) throw new Error(`${file}: head-input cache format ${header.formatVersion} is not supported`)
  const start = Math.ceil((12 + length) / 4) * 4
  const copy = new Uint8Array(bytes.length - start)
  copy.set(bytes.subarray(start))
  const floats = new Float32Array(copy.buffer)
  const join = (scalars: Record<string, unknown>, arrays: FieldRefs) => {
    const out: Record<string, unknown> = { ...scalars }
    for (const [key, r] of Object.entries(arrays)) {
      if (r.offset + r.length > floats.length) throw new Error(`${file}: field ${key} runs past the end of the file (truncated)`)
      out[key] = floats.subarray(r.offset, r.offset + r.length)
    }
    return out
  }
  const { photos, format: _f, formatVersion: _v, ...source } = header
  return {
    source,
    photos: photos.map((p) => ({
      file: p.file,
      labels: p.labels,
      negatives: p.negatives,
      split: p.split,
      stamp: p.stamp,
      input: { ...join(p.scalars, p.arrays), objects: p.objects.map((o) => join(o.scalars, o.arrays)) } as unknown as GraphInput,
    })),
  }
}

/** Writes a cache atomically (a temp file renamed over the target). */
export function writeInputCache(file: string, cache: InputCache): void {
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, encodeInputCache(cache))
  renameSync(tmp, file)
}

/** Reads a cache file. */
export function readInputCache(file: string): InputCache {
  return decodeInputCache(readFileSync(file), file)
}
