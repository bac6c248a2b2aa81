/**
 * Versioned heads of a real library: a trained head is added, activated (every photo re-embedded
 * from its stored head inputs, with the photo files gone, so the detector cannot have run; both
 * indexes rebuilt), the library reopened on the active head's pack, and rolled back.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { embedGraph } from '../../../../src/main/engine/head/graph-embed.js'
import { buildHeadGraph } from '../../../../src/main/engine/head/head-graph.js'
import { decodeHead, encodeHead } from '../../../../src/main/engine/head/head-params.js'
import { indexLibrary } from '../../../../src/main/engine/library/indexer.js'
import { Library } from '../../../../src/main/engine/library/library.js'
import { METHODS } from '../../../../src/main/engine/library/store-vector-source.js'
import { defaultPackDir, findModel, readManifest, readVerifiedModel } from '../../../../src/main/engine/models/pack.js'
import { nodeObjects, storedGraphInput } from '../../../../src/main/engine/search/graph-input.js'
import { TRAINED_FILES } from '../../../../src/main/engine/training/head-pack.js'
import { activateHead, activeHeadPackDir, addHeadVersion, DEFAULT_HEAD, listHeadVersions, rollbackHead } from '../../../../src/main/engine/training/head-versions.js'
import { initialHead } from '../../../../src/main/engine/training/init.js'
import { copyCocoPhotos, tempFolder } from '../library/helpers.js'
import { runEval } from '../../../../src/main/engine/eval/run-eval.js'
import { COCO_DEV_DIR, cocoDevImages } from '../../../support/coco-images.js'

const tmp = tempFolder('constella-heads-')
const libDir = path.join(tmp.dir, 'lib')
const trainedDir = path.join(tmp.dir, 'trained')
const before = new Map<number, Float32Array>()

beforeAll(async () => {
  const photos = copyCocoPhotos(path.join(tmp.dir, 'photos'), 6, 40)
  const lib = await Library.open({ dir: libDir })
  try {
    expect((await indexLibrary(lib, [path.join(tmp.dir, 'photos')])).indexed).toBe(6)
    for (const e of lib.store.embeddings.iterate(METHODS.photo)) before.set(e.ownerId, e.vector)
  } finally {
    await lib.close()
  }
  for (const p of photos) rmSync(p)
  // a trained head's folder: the class-space head with both evidence residuals (format 2)
  const packDir = defaultPackDir()
  const base = decodeHead(readVerifiedModel(packDir, findModel(readManifest(packDir), 'sarl-gat-head')))
  const head = initialHead(base, 'class-space', 1, 2, 16)
  const { tensors: _t, ...header } = head.header
  const bytes = encodeHead({ ...header, modelVersion: 'test-trained-head' }, Object.fromEntries(head.header.tensors.map((t) => [t.name, { shape: t.shape, data: head.tensors.get(t.name)! }])))
  mkdirSync(trainedDir, { recursive: true })
  writeFileSync(path.join(trainedDir, TRAINED_FILES.params), bytes)
  writeFileSync(path.join(trainedDir, TRAINED_FILES.graph), buildHeadGraph(decodeHead(bytes)))
}, 180_000)
afterAll(() => tmp.cleanup())

describe('constella eval --head', () => {
  it('evaluates a labelled set with the trained head through the product pipeline', async () => {
    const images = cocoDevImages().slice(60, 64).map((i) => ({ file: i.file, path: path.join(COCO_DEV_DIR, 'images', i.file), labels: i.labels }))
    const report = await runEval({ classes: [...decodeHead(readFileSync(path.join(trainedDir, TRAINED_FILES.params))).header.classNames], images }, { headDir: trainedDir })
    expect(report.head).toBe('test-trained-head')
    expect(report.images).toBe(4)
    expect(report.methods['sarl-gat'].cls).toBeDefined()
    const plain = await runEval({ classes: [...decodeHead(readFileSync(path.join(trainedDir, TRAINED_FILES.params))).header.classNames], images })
    expect(plain.head).toMatch(/^sarl-gat-(default|trained)/)
    // the pack's head and the trained one are different heads (4 photos saturate cls mAP at 100, so compare heads)
    expect(plain.head).not.toBe(report.head)
    expect(Number.isFinite(plain.methods['sarl-gat'].ret.mAP)).toBe(true)
  }, 120_000)
})

describe('library head versions', () => {
  it('activates a trained head from stored inputs, reopens on it, and rolls back', async () => {
    const version = addHeadVersion(libDir, trainedDir)
    expect(listHeadVersions(libDir).map((v) => [v.id, v.active])).toEqual([[DEFAULT_HEAD, true], [version.id, false]])

    const report = await activateHead({ dir: libDir }, version.id)
    expect(report).toMatchObject({ active: version.id, previous: DEFAULT_HEAD, photos: 6, skipped: 0 })
    expect(listHeadVersions(libDir).find((v) => v.active)?.id).toBe(version.id)

    const lib = await Library.open({ dir: libDir, packDir: activeHeadPackDir(libDir) })
    try {
      expect(lib.head.header.modelVersion).toBe('test-trained-head')
      const ctx = lib.searchContext()
      for (const [photoId, old] of before) {
        const stored = lib.store.embeddings.get({ kind: 'photo', photoId }, METHODS.photo)!
        expect(stored.modelVersion).toBe(lib.versions.head)
        const expected = embedGraph(lib.head, storedGraphInput(ctx, photoId, nodeObjects(ctx, photoId))!).embedding
        expect(Math.max(...stored.vector.map((v, k) => Math.abs(v - expected[k])))).toBeLessThan(1e-4)
        expect(Math.max(...stored.vector.map((v, k) => Math.abs(v - old[k])))).toBeGreaterThan(1e-3)
        // the rebuilt photo index holds the new vector
        const hit = lib.indexes.photos.search(stored.vector, 1)[0]
        expect(hit.key).toBe(photoId)
      }
    } finally {
      await lib.close()
    }

    const back = await rollbackHead({ dir: libDir })
    expect(back).toMatchObject({ active: DEFAULT_HEAD, photos: 6 })
    expect(activeHeadPackDir(libDir)).toBe(defaultPackDir())
    const again = await Library.open({ dir: libDir })
    try {
      for (const [photoId, old] of before) {
        const v = again.store.embeddings.get({ kind: 'photo', photoId }, METHODS.photo)!.vector
        expect(Math.max(...v.map((x, k) => Math.abs(x - old[k])))).toBeLessThan(1e-5)
      }
    } finally {
      await again.close()
    }
  }, 180_000)
})
