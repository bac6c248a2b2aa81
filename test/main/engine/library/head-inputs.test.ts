/** Stored head inputs of another size (a head with another feature map or class list) are dropped, the rest kept. */
import { afterEach, expect, it } from 'vitest'
import { dropMismatchedHeadInputs } from '../../../../src/main/engine/library/head-inputs.js'
import { LibraryStore } from '../../../../src/main/engine/store/library-store.js'
import { METHODS } from '../../../../src/main/engine/store/embedding-methods.js'
import { analysisOf, MODEL_VERSION, scannedFile, vector } from '../store/fixtures/synthetic-library.js'
import { useTempDb } from '../store/helpers.js'

const tempDb = useTempDb()
let store: LibraryStore | undefined
afterEach(() => store?.close())

it('drops only the head inputs whose size no longer fits the head', () => {
  store = LibraryStore.open(tempDb())
  const run = store.runs.start('index').id
  const ids = [0, 1, 2, 3].map((i) => store!.recordScan(scannedFile(i), run, () => false).photo.id)
  ids.forEach((id, i) => {
    store!.saveAnalysis(id, analysisOf(i))
    store!.embeddings.put({ kind: 'photo', photoId: id }, { method: METHODS.photoFeature, modelVersion: MODEL_VERSION, vector: vector(i, 16) })
    for (const o of store!.objects.listByPhoto(id)) {
      store!.embeddings.put({ kind: 'object', objectId: o.id }, { method: METHODS.objectEvidence, modelVersion: MODEL_VERSION, vector: vector(o.id, 80) })
    }
  })
  const evidence = store.embeddings.count(METHODS.objectEvidence)
  expect(evidence).toBeGreaterThan(0)
  expect(dropMismatchedHeadInputs(store, 16, 80)).toEqual([])
  expect(store.embeddings.count(METHODS.photoFeature)).toBe(4)
  expect(dropMismatchedHeadInputs(store, 960, 80)).toEqual([METHODS.photoFeature])
  expect(store.embeddings.count(METHODS.photoFeature)).toBe(0)
  expect(store.embeddings.count(METHODS.objectEvidence)).toBe(evidence)
  expect(dropMismatchedHeadInputs(store, 960, 20)).toEqual([METHODS.objectEvidence])
  expect(store.embeddings.count('gat-mean')).toBe(4)
})
