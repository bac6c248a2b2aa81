/**
 * A small real library for the search tests: ~40 coco-dev photos chosen deterministically from
 * labels.json (groups of photos dominated by one class, photos with a person and a dog, and
 * person photos), copied into a temp folder and indexed with the real model pack.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Box } from '../../../../src/shared/domain.js'
import { indexLibrary } from '../../../../src/main/engine/library/indexer.js'
import { Library } from '../../../../src/main/engine/library/library.js'

/** The coco-dev folder. */
export const COCO_DEV = process.env.CONSTELLA_COCO_DEV ?? '/work/shared/data/coco-dev'

/** One labels.json image record. */
export interface CocoImage {
  file: string
  width: number
  height: number
  labels: number[]
  boxes: [number, number, number, number, number][]
  split: string
}

/** labels.json. */
export function cocoLabels(): { classes: string[]; images: CocoImage[] } {
  const d = JSON.parse(readFileSync(path.join(COCO_DEV, 'labels.json'), 'utf8')) as { classes: string[]; images: CocoImage[] }
  d.images.sort((a, b) => a.file.localeCompare(b.file))
  return d
}

/** The class covering more than 60 % of the box area and 15 % of the photo, if any. */
export function dominantClass(img: CocoImage): number | undefined {
  const area = new Map<number, number>()
  for (const [c, x1, y1, x2, y2] of img.boxes) area.set(c, (area.get(c) ?? 0) + (x2 - x1) * (y2 - y1))
  const total = [...area.values()].reduce((s, v) => s + v, 0)
  const [c, a] = [...area].sort((x, y) => y[1] - x[1] || x[0] - y[0])[0] ?? []
  return c !== undefined && a! / total > 0.6 && a! / (img.width * img.height) > 0.15 ? c : undefined
}

/** The largest ground-truth box of class `classId` in `img` (photo pixels). */
export function largestBox(img: CocoImage, classId: number): Box {
  const [, x1, y1, x2, y2] = img.boxes.filter((b) => b[0] === classId).sort((a, b) => (b[3] - b[1]) * (b[4] - b[2]) - (a[3] - a[1]) * (a[4] - a[2]))[0]
  return [x1, y1, x2, y2]
}

/** Classes whose dominated photos form the groups of the test library, with how many to take. */
const GROUPS: [string, number][] = [
  ['bear', 4], ['bus', 4], ['zebra', 4], ['bed', 3], ['giraffe', 3], ['elephant', 3], ['cat', 3], ['dog', 3], ['train', 3], ['sheep', 3],
]

/**
 * The chosen photos — up to `perGroup` (default: the group's count) dominated photos per group,
 * 4 with a person and a dog, then person photos up to `total` — and held-out dominated photos of
 * the same groups (never in the library).
 */
export function pickPhotos(total = 40, perGroup = Infinity): { library: CocoImage[]; heldOut: CocoImage[]; classes: string[] } {
  const { classes, images } = cocoLabels()
  const id = (name: string) => classes.indexOf(name)
  const chosen: CocoImage[] = []
  const heldOut: CocoImage[] = []
  const has = (img: CocoImage) => chosen.includes(img)
  for (const [name, count] of GROUPS) {
    const n = Math.min(count, perGroup)
    const group = images.filter((i) => dominantClass(i) === id(name) && !has(i))
    chosen.push(...group.slice(0, n))
    heldOut.push(...group.slice(n))
  }
  const withBoth = images.filter((i) => i.labels.includes(id('person')) && i.labels.includes(id('dog')) && !has(i))
  chosen.push(...withBoth.slice(0, 4))
  const persons = images.filter((i) => dominantClass(i) === id('person') && !has(i))
  chosen.push(...persons.slice(0, Math.max(0, total - chosen.length)))
  return { library: chosen.slice(0, total), heldOut, classes }
}

/** An indexed temp library of the picked photos. */
export interface TestLibrary {
  lib: Library
  /** Temp folder holding `photos/` (the indexed copies) and `library/`. */
  root: string
  photosDir: string
  libraryDir: string
  library: CocoImage[]
  heldOut: CocoImage[]
  classes: string[]
  /** Library photo id of a coco-dev file name. */
  photoId(file: string): number
  /** Ground-truth labels of a library photo id. */
  truth(photoId: number): number[]
  cleanup(): Promise<void>
}

/** Copies the picked photos (see `pickPhotos`) into a temp folder and indexes them (~3 s per 10 photos). */
export async function buildTestLibrary(total = 40, perGroup = Infinity): Promise<TestLibrary> {
  const { library, heldOut, classes } = pickPhotos(total, perGroup)
  const root = mkdtempSync(path.join(tmpdir(), 'constella-search-'))
  const photosDir = path.join(root, 'photos')
  const libraryDir = path.join(root, 'library')
  mkdirSync(photosDir)
  for (const img of library) copyFileSync(path.join(COCO_DEV, 'images', img.file), path.join(photosDir, img.file))
  const lib = await Library.open({ dir: libraryDir })
  try {
    const summary = await indexLibrary(lib, [photosDir], { concurrency: 2 })
    if (summary.failed.length > 0) throw new Error(`indexing failed: ${JSON.stringify(summary.failed)}`)
  } catch (err) {
    await lib.close()
    throw err
  }
  // ids and ground truth are read now, so they stay usable once the library is closed
  const ids = new Map(library.map((img) => [img.file, lib.store.photos.findByPath(path.join(photosDir, img.file))?.id]))
  const labelsById = new Map(library.map((img) => [ids.get(img.file), img.labels]))
  const photoId = (file: string) => {
    const id = ids.get(file)
    if (id === undefined) throw new Error(`${file} is not in the test library`)
    return id
  }
  const truth = (id: number) => {
    const labels = labelsById.get(id)
    if (!labels) throw new Error(`photo ${id} is not in the test library`)
    return labels
  }
  return {
    lib, root, photosDir, libraryDir, library, heldOut, classes, photoId, truth,
    async cleanup() {
      await lib.close()
      rmSync(root, { recursive: true, force: true })
    },
  }
}
