/**
 * After the model pack changes (a new head or detector), photos analysed by the older models are
 * analysed again on the next run even though their files did not change.
 */
import path from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { indexLibrary } from '../../../../src/main/engine/library/indexer.js'
import { Library } from '../../../../src/main/engine/library/library.js'
import { METHODS } from '../../../../src/main/engine/library/store-vector-source.js'
import { copyCocoPhotos, expectIndexesMatchStore, tempFolder } from './helpers.js'

const temp = tempFolder()
const photosDir = path.join(temp.dir, 'photos')
let lib: Library

beforeAll(async () => {
  copyCocoPhotos(photosDir, 3)
  lib = await Library.open({ dir: path.join(temp.dir, 'library') })
  const first = await indexLibrary(lib, [photosDir])
  expect(first.indexed).toBe(3)
})
afterAll(async () => {
  await lib?.close()
  temp.cleanup()
})

it('re-analyses unchanged photos whose embedding came from another head, and only those', async () => {
  const target = lib.store.db.prepare('SELECT id FROM photos ORDER BY id LIMIT 1').get() as { id: number }
  lib.store.db.prepare("UPDATE embeddings SET model_version = 'sarl-gat-head@000000000000' WHERE photo_id = ? AND method = ?").run(target.id, METHODS.photo)
  const second = await indexLibrary(lib, [photosDir])
  expect(second.reanalysed).toBe(1)
  expect(second.indexed).toBe(1)
  expect(second.skipped).toBe(2)
  expect(lib.store.embeddings.get({ kind: 'photo', photoId: target.id }, METHODS.photo)?.modelVersion).toBe(lib.versions.head)
  expectIndexesMatchStore(lib)
  const third = await indexLibrary(lib, [photosDir])
  expect(third.reanalysed).toBe(0)
  expect(third.indexed).toBe(0)
})
