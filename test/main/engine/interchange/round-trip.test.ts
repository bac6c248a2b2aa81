/**
 * Round trips on a real library of 10 coco-dev photos: import coco-dev's labels.json ground truth,
 * export it in each format, import that into a fresh library of the same photos, and find the same
 * labels and boxes (boxes to the format's precision: 1/1000 px for COCO, 6 decimals of the photo
 * for YOLO, VOC's whole pixels; label states wherever the format can hold them).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AnnotationService } from '../../../../src/main/engine/annotation/annotation-service.js'
import { exportLibrary } from '../../../../src/main/engine/interchange/export-library.js'
import type { InterchangeFormat } from '../../../../src/main/engine/interchange/ground-truth.js'
import { importGroundTruth } from '../../../../src/main/engine/interchange/import-ground-truth.js'
import { LibraryStore } from '../../../../src/main/engine/store/library-store.js'
import { COCO_DEV_DIR } from '../../../support/coco-images.js'
import { addCocoPhotos, annotationService, useTempDirs, type FixturePhoto } from '../annotation/library-fixture.js'

const tempDir = useTempDirs('constella-interchange-')
const LABELS_JSON = path.join(COCO_DEV_DIR, 'labels.json')
const COUNT = 10

/** A fresh library of the fixture photos (in `dir`, default a folder removed after the test). */
async function library(dir = tempDir()): Promise<{ store: LibraryStore; svc: AnnotationService; photos: FixturePhoto[] }> {
  const store = LibraryStore.open(path.join(dir, 'library.db'))
  const photos = await addCocoPhotos(store, COUNT)
  return { store, svc: annotationService(store), photos }
}

type Truth = Map<string, { positive: string[]; negative: string[]; boxes: [string, ...number[]][] }>

/** Every photo's human labels and boxes by file name, sorted. */
function truthOf(store: LibraryStore, svc: AnnotationService): Truth {
  const out: Truth = new Map()
  for (const { id, path: p } of store.db.prepare('SELECT id, path FROM photos ORDER BY id').all() as { id: number; path: string }[]) {
    const a = svc.photoAnnotations(id)
    const human = a.labels.filter((l) => l.human)
    out.set(path.basename(p), {
      positive: human.filter((l) => l.state === 'positive').map((l) => l.name).sort(),
      negative: human.filter((l) => l.state === 'negative').map((l) => l.name).sort(),
      boxes: a.boxes.filter((b) => b.source === 'human').map((b): [string, ...number[]] => [b.name, ...b.box])
        .sort((x, y) => x.join().localeCompare(y.join())),
    })
  }
  return out
}

/** Asserts two truths equal, boxes within `tolerance` pixels (matched in sorted order). */
function expectSameTruth(actual: Truth, expected: Truth, tolerance: number, negatives = true): void {
  expect([...actual.keys()]).toEqual([...expected.keys()])
  for (const [file, e] of expected) {
    const a = actual.get(file)!
    expect(a.positive, file).toEqual(e.positive)
    if (negatives) expect(a.negative, file).toEqual(e.negative)
    expect(a.boxes.length, file).toBe(e.boxes.length)
    const byClass = (list: [string, ...number[]][]) => [...list].sort((x, y) => x[0].localeCompare(y[0]) || (x[1] as number) - (y[1] as number) || (x[2] as number) - (y[2] as number))
    const [as, es] = [byClass(a.boxes), byClass(e.boxes)]
    es.forEach((eb, i) => {
      expect(as[i][0], `${file} box ${i}`).toBe(eb[0])
      for (let k = 1; k <= 4; k++) expect(Math.abs((as[i][k] as number) - (eb[k] as number)), `${file} box ${i} ${eb.join()}`).toBeLessThanOrEqual(tolerance)
    })
  }
}

let source: Truth
let sourceDb: string
const sourceDir = mkdtempSync(path.join(tmpdir(), 'constella-interchange-source-'))
afterAll(() => rmSync(sourceDir, { recursive: true, force: true }))

beforeAll(async () => {
  const { store, svc, photos } = await library(sourceDir)
  const summary = await importGroundTruth(svc, { format: 'coco', input: LABELS_JSON })
  expect(summary).toMatchObject({ records: 395, matchedPhotos: COUNT, unmatched: { count: 395 - COUNT }, unknownClasses: [], photosChanged: COUNT })
  expect(summary.boxesAdded).toBe(photos.reduce((n, p) => n + p.image.boxes.length, 0))
  source = truthOf(store, svc)
  for (const p of photos) {
    const t = source.get(p.image.file)!
    expect(t.positive).toEqual(p.image.labels.map((c) => svc.vocabulary.name(c)).sort())
    expect(t.negative).toHaveLength(80 - p.image.labels.length) // coco-dev is complete: every other class is a known negative
    expect(t.boxes).toEqual(p.image.boxes.map(([c, ...b]) => [svc.vocabulary.name(c), ...b]).sort((x, y) => x.join().localeCompare(y.join())))
  }
  // importing the same file again changes nothing
  const again = await importGroundTruth(svc, { format: 'coco', input: LABELS_JSON })
  expect(again).toMatchObject({ photosChanged: 0, labelsSet: 0, boxesAdded: 0, editIds: [] })
  sourceDb = store.file
  store.close()
}, 60_000)

describe('round trips through every format', () => {
  const cases: [InterchangeFormat, string, number, boolean][] = [
    ['coco', 'export.json', 0.002, true],
    ['yolo', 'yolo', 0.002, true],
    ['voc', 'voc', 1, false],
    ['csv', 'export.csv', 1e-9, true],
    ['jsonl', 'export.jsonl', 1e-9, true],
  ]
  for (const [format, name, tolerance, negatives] of cases) {
    it(`${format}: export, import into a fresh library, same labels and boxes`, async () => {
      const out = path.join(tempDir(), name)
      const from = LibraryStore.open(sourceDb, { readOnly: true })
      const progress: number[] = []
      let exported
      try {
        exported = await exportLibrary(from.db, annotationService(from).vocabulary, { format, out, onProgress: (done) => progress.push(done) })
      } finally {
        from.close()
      }
      expect(exported).toMatchObject({ photos: COUNT, skipped: { notAnnotated: 0, sizeUnknown: 0 } })
      expect(progress).toEqual([...Array(COUNT).keys()].map((i) => i + 1))
      if (format === 'voc') expect(exported.notRepresentable.otherStates).toBeGreaterThan(0) // VOC cannot say "no dog"

      const { store, svc } = await library()
      const imported = await importGroundTruth(svc, { format, input: out })
      expect(imported).toMatchObject({ matchedPhotos: COUNT, unmatched: { count: 0 }, ambiguous: { count: 0 }, unknownClasses: [], boxesOutside: 0 })
      expectSameTruth(truthOf(store, svc), source, tolerance, negatives)
      store.close()
    })
  }
})
