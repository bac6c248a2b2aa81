import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { openIndexes } from '../../../../src/main/engine/index/index-set.js'
import { KeySetHash } from '../../../../src/main/engine/index/key-set-hash.js'
import { bruteForce, clusteredRows, clusteredSource, queries, tempFolder } from './helpers.js'

let folder: ReturnType<typeof tempFolder>
beforeEach(() => { folder = tempFolder() })
afterEach(() => folder.cleanup())

describe('openIndexes', () => {
  it('opens photo and object indexes of different dimensions side by side', () => {
    const dir = join(folder.dir, 'library', 'index')
    const photoSource = clusteredSource(800, 64, 1)
    const objectSource = clusteredSource(2000, 24, 2)
    const config = { photoDims: 64, objectDims: 24, photoSource, objectSource }
    const set = openIndexes(dir, config)
    expect(set.reports.photos).toMatchObject({ rebuilt: true, reason: 'index-missing' })
    expect(set.reports.objects).toMatchObject({ rebuilt: true, reason: 'index-missing' })
    expect(existsSync(join(dir, 'photos.usearch.meta.json'))).toBe(true)
    expect(existsSync(join(dir, 'objects.usearch.meta.json'))).toBe(true)
    expect([set.photos.size, set.objects.size, set.photos.dims, set.objects.dims]).toEqual([800, 2000, 64, 24])

    const [[key, v]] = clusteredRows(1, 24, 5, 90_000)
    objectSource.vectors.set(key, v)
    set.objects.add(key, v)
    expect(set.photos.dirty).toBe(false)
    set.close() // saves the object index only

    const again = openIndexes(dir, config)
    expect(again.reports.photos).toMatchObject({ rebuilt: false, reason: 'loaded' })
    expect(again.reports.objects).toMatchObject({ rebuilt: false, reason: 'loaded' })
    expect(again.objects.search(v, 1)[0].key).toBe(key)
    const q = queries(1, 64)[0]
    expect(again.photos.search(q, 5).map((h) => h.key)).toEqual(bruteForce(photoSource, q, 5).map((h) => h.key))
    again.close()
  })

  it('fails loudly on a malformed object source and leaves the photo index saved', () => {
    const photoSource = clusteredSource(10, 8)
    const broken = { count: () => 1, keys: () => [1], entries: () => [[1, new Float32Array(3)] as [number, Float32Array]] }
    const config = { photoDims: 8, objectDims: 8, photoSource, objectSource: broken }
    expect(() => openIndexes(folder.dir, config)).toThrow(/Float32Array\(8\)/)
    expect(() => openIndexes(folder.dir, { ...config, objectSource: clusteredSource(5, 8) }).close()).not.toThrow()
    const again = openIndexes(folder.dir, { ...config, objectSource: clusteredSource(5, 8) })
    expect(again.reports.photos).toMatchObject({ rebuilt: false, reason: 'loaded' })
    again.close()
  })
})

describe('KeySetHash', () => {
  it('ignores order, follows adds and removes, and round-trips through text', () => {
    const a = KeySetHash.of([1, 2, 3, 2 ** 40 + 5])
    const b = KeySetHash.of([2 ** 40 + 5, 3n, 2, 1])
    expect(a.toString()).toBe(b.toString())
    b.add(9)
    expect(b.toString()).not.toBe(a.toString())
    b.remove(9)
    expect(b.toString()).toBe(a.toString())
    expect(KeySetHash.of([1, 2, 4]).toString()).not.toBe(KeySetHash.of([1, 2, 3]).toString())
    expect(KeySetHash.of([5]).toString()).not.toBe(KeySetHash.of([5 + 2 ** 32]).toString())
    expect(KeySetHash.parse(a.toString())?.toString()).toBe(a.toString())
    expect(KeySetHash.parse('nope')).toBeUndefined()
  })
})
