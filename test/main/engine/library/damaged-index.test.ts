/**
 * A library whose index files were damaged, deleted or left behind by a crash: `Library.open`
 * rebuilds the affected index from SQLite (the source of truth), says why, saves the rebuilt
 * index, and search answers exactly as before the damage.
 */
import { cpSync, existsSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SearchHit } from '../../../../src/main/engine/index/exact-search.js'
import { metaPathOf } from '../../../../src/main/engine/index/index-files.js'
import { INDEX_FILES } from '../../../../src/main/engine/index/index-set.js'
import type { OpenReason } from '../../../../src/main/engine/index/vector-index.js'
import { indexLibrary } from '../../../../src/main/engine/library/indexer.js'
import { Library } from '../../../../src/main/engine/library/library.js'
import { METHODS } from '../../../../src/main/engine/library/store-vector-source.js'
import { copyCocoPhotos, expectIndexesMatchStore, tempFolder } from './helpers.js'

const temp = tempFolder()
const photosDir = path.join(temp.dir, 'photos')
const libDir = path.join(temp.dir, 'library')
const indexDir = path.join(libDir, 'index')
const pristine = path.join(temp.dir, 'index-pristine')
const stale = path.join(temp.dir, 'index-stale')
const photosFile = path.join(indexDir, INDEX_FILES.photos)
const objectsFile = path.join(indexDir, INDEX_FILES.objects)

interface Baseline {
  photoQueries: Float32Array[]
  objectQueries: Float32Array[]
  photoHits: SearchHit[][]
  objectHits: SearchHit[][]
}
let baseline: Baseline

/** Every query's top 5 in both indexes. */
function searchAll(lib: Library, b: Pick<Baseline, 'photoQueries' | 'objectQueries'>): Pick<Baseline, 'photoHits' | 'objectHits'> {
  return {
    photoHits: b.photoQueries.map((q) => lib.indexes.photos.search(q, 5)),
    objectHits: b.objectQueries.map((q) => lib.indexes.objects.search(q, 5)),
  }
}

function expectSameHits(actual: SearchHit[][], expected: SearchHit[][]): void {
  expect(actual.map((hits) => hits.map((h) => h.key))).toEqual(expected.map((hits) => hits.map((h) => h.key)))
  actual.forEach((hits, q) => hits.forEach((h, i) => expect(h.similarity).toBeCloseTo(expected[q][i].similarity, 6)))
}

beforeAll(async () => {
  copyCocoPhotos(photosDir, 9, 50)
  const lib = await Library.open({ dir: libDir })
  try {
    await indexLibrary(lib, [photosDir])
    lib.indexes.save()
    // An index saved one photo ago: what a crash between a store write and the next index save leaves.
    cpSync(indexDir, stale, { recursive: true })
    copyCocoPhotos(photosDir, 1, 59)
    const s = await indexLibrary(lib, [photosDir])
    expect(s.indexed).toBe(1)
    const photoQueries = [...lib.store.embeddings.iterate(METHODS.photo)].slice(0, 4).map((e) => e.vector)
    const objectQueries = [...lib.store.embeddings.iterate(METHODS.object)].filter((_, i) => i % 7 === 0).slice(0, 4).map((e) => e.vector)
    baseline = { photoQueries, objectQueries, ...searchAll(lib, { photoQueries, objectQueries }) }
    expect(baseline.photoHits[0]).toHaveLength(5)
    expect(baseline.objectHits.length).toBeGreaterThan(1)
  } finally {
    await lib.close()
  }
  cpSync(indexDir, pristine, { recursive: true })
})

afterAll(() => temp.cleanup())

/** Restores the undamaged index folder, damages it, opens the library and checks the rebuild. */
async function openDamaged(damage: () => void, which: 'photos' | 'objects', reason: OpenReason): Promise<void> {
  rmSync(indexDir, { recursive: true, force: true })
  cpSync(pristine, indexDir, { recursive: true })
  damage()
  const lib = await Library.open({ dir: libDir })
  try {
    const reports = lib.indexes.reports
    const other = which === 'photos' ? 'objects' : 'photos'
    expect(reports[which]).toMatchObject({ rebuilt: true, reason })
    expect(reports[which].detail.length).toBeGreaterThan(0)
    expect(reports[other]).toMatchObject({ rebuilt: false, reason: 'loaded' })
    expectIndexesMatchStore(lib)
    const after = searchAll(lib, baseline)
    expectSameHits(after.photoHits, baseline.photoHits)
    expectSameHits(after.objectHits, baseline.objectHits)
  } finally {
    await lib.close()
  }
  // The rebuilt index was saved: the next open loads it.
  const again = await Library.open({ dir: libDir })
  try {
    expect(again.indexes.reports[which]).toMatchObject({ rebuilt: false, reason: 'loaded' })
    expectSameHits(searchAll(again, baseline).photoHits, baseline.photoHits)
  } finally {
    await again.close()
  }
}

describe('Library.open with a damaged index', () => {
  it('loads the undamaged indexes as they are', async () => {
    const lib = await Library.open({ dir: libDir })
    try {
      expect(lib.indexes.reports.photos).toMatchObject({ rebuilt: false, reason: 'loaded' })
      expect(lib.indexes.reports.objects).toMatchObject({ rebuilt: false, reason: 'loaded' })
      expectSameHits(searchAll(lib, baseline).photoHits, baseline.photoHits)
    } finally {
      await lib.close()
    }
  })

  it('rebuilds a truncated photo index', async () => {
    await openDamaged(() => truncateSync(photosFile, Math.floor(statSync(photosFile).size / 2)), 'photos', 'size-mismatch')
  })

  it('rebuilds a photo index with corrupted bytes (same length)', async () => {
    await openDamaged(() => {
      const bytes = readFileSync(photosFile)
      for (let i = bytes.length >> 1; i < (bytes.length >> 1) + 64; i++) bytes[i] ^= 0xa5
      writeFileSync(photosFile, bytes)
    }, 'photos', 'checksum-mismatch')
  })

  it('rebuilds a photo index whose meta file was deleted', async () => {
    await openDamaged(() => rmSync(metaPathOf(photosFile)), 'photos', 'meta-missing')
  })

  it('rebuilds a photo index whose meta file is garbage', async () => {
    await openDamaged(() => writeFileSync(metaPathOf(photosFile), '{"format": "constella-vect'), 'photos', 'meta-invalid')
  })

  it('rebuilds a deleted photo index, and removes the temp files of an interrupted save', async () => {
    const leftover = `${photosFile}.tmp-12345-deadbeef`
    await openDamaged(() => {
      rmSync(photosFile)
      writeFileSync(leftover, 'half written')
    }, 'photos', 'index-missing')
    expect(existsSync(leftover)).toBe(false)
  })

  it('rebuilds an object index overwritten with zeros', async () => {
    await openDamaged(() => writeFileSync(objectsFile, Buffer.alloc(statSync(objectsFile).size)), 'objects', 'checksum-mismatch')
  })

  it('rebuilds an index saved before the last photo was stored (a crash between the store write and the index save)', async () => {
    await openDamaged(() => {
      cpSync(path.join(stale, INDEX_FILES.photos), photosFile)
      cpSync(metaPathOf(path.join(stale, INDEX_FILES.photos)), metaPathOf(photosFile))
    }, 'photos', 'count-mismatch')
  })
})
