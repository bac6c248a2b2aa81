/**
 * Libraries for the annotation and interchange tests, built through the store API from real
 * coco-dev photos (their paths, content hashes, sizes), and the annotation service over them
 * with the pack's class names and GloVe vectors.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach } from 'vitest'
import { AnnotationService } from '../../../../src/main/engine/annotation/annotation-service.js'
import { lazyPackWordVectors, packClassNames } from '../../../../src/main/engine/annotation/pack-vocabulary.js'
import { hashFile } from '../../../../src/main/engine/io/content-hash.js'
import { LibraryStore } from '../../../../src/main/engine/store/library-store.js'
import { COCO_DEV_DIR, cocoDevImages, type CocoDevImage } from '../../../support/coco-images.js'

/** A fresh temp folder per call, removed after the current test. */
export function useTempDirs(prefix = 'constella-annotation-'): () => string {
  const dirs: string[] = []
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })
  return () => {
    const dir = mkdtempSync(path.join(tmpdir(), prefix))
    dirs.push(dir)
    return dir
  }
}

/** A library photo made from a coco-dev image. */
export interface FixturePhoto {
  id: number
  path: string
  image: CocoDevImage
}

/** The path of a coco-dev image. */
export const cocoPath = (image: CocoDevImage): string => path.join(COCO_DEV_DIR, 'images', image.file)

/**
 * Adds coco-dev images `from` .. `from + count - 1` (file order) to the store as indexed photos
 * with their real path, hash, size and pixel size (no analysis: no model rows).
 */
export async function addCocoPhotos(store: LibraryStore, count: number, from = 0): Promise<FixturePhoto[]> {
  const images = cocoDevImages().slice(from, from + count)
  const run = store.runs.start('index').id
  const out: FixturePhoto[] = []
  for (const image of images) {
    const file = cocoPath(image)
    const st = statSync(file)
    const outcome = store.recordScan({ path: file, contentHash: await hashFile(file), bytes: st.size, mtimeMs: Math.floor(st.mtimeMs) }, run, () => false)
    store.photos.markIndexed(outcome.photo.id, { width: image.width, height: image.height, format: 'jpeg' })
    out.push({ id: outcome.photo.id, path: file, image })
  }
  store.runs.finish(run, 'completed')
  return out
}

let classNames: string[] | undefined
let words: ReturnType<typeof lazyPackWordVectors> | undefined

/** The annotation service of `store` with the pack's head classes and GloVe vectors. */
export function annotationService(store: LibraryStore, options: { now?: () => number; defaultActor?: string } = {}): AnnotationService {
  classNames ??= packClassNames()
  words ??= lazyPackWordVectors()
  return new AnnotationService(store.db, { classNames, words, ...options })
}
