/**
 * Fixtures for the library tests: temp folders of real coco-dev photos, the same photo in every
 * decodable format, the bad inputs a real library contains, an inference engine that counts its
 * requests, and the checks that a library's indexes agree with its store.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import sharp, { type Sharp } from 'sharp'
import { expect } from 'vitest'
import type { RunOptions, TensorMap } from '../../../../src/main/engine/inference-types.js'
import type { Library } from '../../../../src/main/engine/library/library.js'
import { METHODS } from '../../../../src/main/engine/library/store-vector-source.js'
import { InferenceEngine } from '../../../../src/main/engine/worker/inference-client.js'
import { bombPng } from '../../../support/bomb-png.js'
import { COCO_DEV_DIR, cocoDevImages } from '../../../support/coco-images.js'

/** The project root (where bin/constella.mjs is). */
export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..', '..')

/** A fresh temp folder; `cleanup` removes it. */
export function tempFolder(prefix = 'constella-library-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Absolute paths of coco-dev photos `from` .. `from + count - 1` (in file order). */
export function cocoFiles(count: number, from = 0): string[] {
  const files = cocoDevImages().slice(from, from + count).map((i) => path.join(COCO_DEV_DIR, 'images', i.file))
  if (files.length < count) throw new Error(`coco-dev has only ${files.length} photos from ${from}`)
  return files
}

/** Copies coco-dev photos into `dir` (created if needed); returns the copies' paths. */
export function copyCocoPhotos(dir: string, count: number, from = 0): string[] {
  mkdirSync(dir, { recursive: true })
  return cocoFiles(count, from).map((src) => {
    const to = path.join(dir, path.basename(src))
    copyFileSync(src, to)
    return to
  })
}

/** A format variant of a source photo and what it must decode as. */
export interface FormatVariant {
  file: string
  format: 'png' | 'webp' | 'avif' | 'tiff' | 'gif' | 'jpeg'
  /** Upright size after decoding. */
  width: number
  height: number
}

/**
 * Writes `source` as PNG, WebP, AVIF, TIFF and GIF, plus a JPEG whose pixels are stored sideways
 * with EXIF orientation 6 (so the stored width and height are swapped relative to the upright photo).
 */
export async function writeFormatVariants(dir: string, source: string): Promise<{ variants: FormatVariant[]; rotated: FormatVariant; stored: { width: number; height: number } }> {
  mkdirSync(dir, { recursive: true })
  const meta = await sharp(source).metadata()
  const width = meta.width!
  const height = meta.height!
  const base = path.basename(source, path.extname(source))
  const variants: FormatVariant[] = []
  const write = async (format: FormatVariant['format'], ext: string, encode: (s: Sharp) => Sharp): Promise<void> => {
    const file = path.join(dir, `${base}-as.${ext}`)
    await encode(sharp(source)).toFile(file)
    variants.push({ file, format, width, height })
  }
  await write('png', 'png', (s) => s.png({ compressionLevel: 3 }))
  await write('webp', 'webp', (s) => s.webp({ quality: 90 }))
  await write('avif', 'avif', (s) => s.avif({ quality: 70, effort: 1 }))
  await write('tiff', 'tiff', (s) => s.tiff({ compression: 'lzw' }))
  await write('gif', 'gif', (s) => s.gif())
  // Stored pixels = the upright photo turned 90 degrees counter-clockwise; orientation 6 tells
  // readers to turn it back clockwise, so the upright size is the source's.
  const file = path.join(dir, `${base}-exif6.jpg`)
  await sharp(source).rotate(-90).jpeg({ quality: 92 }).withMetadata({ orientation: 6 }).toFile(file)
  const storedMeta = await sharp(file).metadata()
  return { variants, rotated: { file, format: 'jpeg', width, height }, stored: { width: storedMeta.width!, height: storedMeta.height! } }
}

/** A bad input file and a pattern its recorded failure reason must match. */
export interface BadInput {
  file: string
  reason: RegExp
}

/**
 * Writes the bad inputs of the ingest requirements into `dir`: zero bytes, a truncated JPEG
 * (cut from `goodJpeg`), a text file named .jpg, a 30000 x 30000 PNG decompression bomb and a
 * HEIC file from a phone.
 */
export function writeBadInputs(dir: string, goodJpeg: string): BadInput[] {
  mkdirSync(dir, { recursive: true })
  const at = (name: string): string => path.join(dir, name)
  writeFileSync(at('zero-bytes.jpg'), Buffer.alloc(0))
  const jpeg = readFileSync(goodJpeg)
  writeFileSync(at('truncated.jpg'), jpeg.subarray(0, Math.floor(jpeg.length / 2)))
  writeFileSync(at('notes.jpg'), 'shopping list: milk, eggs, a new lens cap\n'.repeat(20))
  writeFileSync(at('bomb.png'), bombPng(30000))
  const heic = Buffer.alloc(4096, 7)
  heic.writeUInt32BE(24, 0)
  heic.write('ftypheic\0\0\0\0mif1heic', 4, 'latin1')
  writeFileSync(at('phone.heic'), heic)
  return [
    { file: at('zero-bytes.jpg'), reason: /empty \(0 bytes\)/ },
    { file: at('truncated.jpg'), reason: /JPEG data is cut short/ },
    { file: at('notes.jpg'), reason: /contents are not an image/ },
    { file: at('bomb.png'), reason: /30000 x 30000 pixels .*decompression bombs/ },
    { file: at('phone.heic'), reason: /HEIC, which is not a supported format/ },
  ]
}

/** An inference engine that counts its model runs (to prove a step needed no inference). */
export class CountingEngine extends InferenceEngine {
  /** Model runs requested so far. */
  runs = 0

  override run(model: string, feeds: TensorMap, fetches?: string[], options?: RunOptions): Promise<TensorMap> {
    this.runs++
    return super.run(model, feeds, fetches, options)
  }
}

/** Engine runs per analysed photo: the detector, the backbone if the head needs one, the head graph. */
export function engineRunsPerPhoto(lib: Library): number {
  return 1 + (lib.parts.backbone ? 1 : 0) + (lib.parts.headGraph ? 1 : 0)
}

/** Store counts of the vectors each index must hold. */
export function storeVectorCounts(lib: Library): { photos: number; objects: number } {
  return { photos: lib.store.embeddings.count(METHODS.photo), objects: lib.store.embeddings.count(METHODS.object) }
}

/** Asserts that both indexes hold exactly the store's photo and object vectors, key by key. */
export function expectIndexesMatchStore(lib: Library): void {
  const counts = storeVectorCounts(lib)
  expect({ photos: lib.indexes.photos.size, objects: lib.indexes.objects.size }).toEqual(counts)
  for (const e of lib.store.embeddings.iterate(METHODS.photo)) expect(lib.indexes.photos.has(e.ownerId)).toBe(true)
  for (const e of lib.store.embeddings.iterate(METHODS.object)) expect(lib.indexes.objects.has(e.ownerId)).toBe(true)
}

/** The stored SARL-GAT photo vector of a photo. */
export function photoVector(lib: Library, photoId: number): Float32Array {
  const e = lib.store.embeddings.get({ kind: 'photo', photoId }, METHODS.photo)
  if (!e) throw new Error(`photo ${photoId} has no ${METHODS.photo} vector`)
  return e.vector
}
