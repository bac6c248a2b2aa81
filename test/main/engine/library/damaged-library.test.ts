/**
 * Damage inside a real library: a stored vector holding NaN or Infinity leaves the rest usable
 * (a reader reports the photo, the owner sends it back to be analysed again, the next index run
 * does so), and a garbled SQLite page gives an error that names the file and what to do.
 */
import { copyFileSync, cpSync, openSync, writeSync, closeSync } from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { indexLibrary } from '../../../../src/main/engine/library/indexer.js'
import { Library } from '../../../../src/main/engine/library/library.js'
import { METHODS } from '../../../../src/main/engine/library/store-vector-source.js'
import { LibraryDbError } from '../../../../src/main/engine/store/errors.js'
import { killStartedClis, runCli } from './cli-process.js'
import { copyCocoPhotos, expectIndexesMatchStore, tempFolder } from './helpers.js'

const temp = tempFolder('constella-damaged-')
const photos = path.join(temp.dir, 'photos')
const pristine = path.join(temp.dir, 'pristine')
let files: string[]

beforeAll(async () => {
  files = copyCocoPhotos(photos, 5, 200)
  const lib = await Library.open({ dir: pristine, provider: 'cpu' })
  try {
    const s = await indexLibrary(lib, [photos])
    expect(s.indexed).toBe(5)
  } finally {
    await lib.close()
  }
}, 600_000)
afterAll(() => {
  killStartedClis()
  temp.cleanup()
})

/** A fresh copy of the indexed library. */
function copyOfLibrary(name: string): string {
  const dir = path.join(temp.dir, name)
  cpSync(pristine, dir, { recursive: true })
  return dir
}

/** Sets element 0 of a stored vector to `value`, by SQL on the library file. */
function poison(dir: string, where: string, value: number): void {
  const db = new Database(path.join(dir, 'library.db'))
  try {
    const row = db.prepare(`SELECT id, vector FROM embeddings WHERE ${where}`).get() as { id: number; vector: Buffer }
    const vector = Buffer.from(row.vector)
    vector.writeFloatLE(value, 0)
    db.prepare('UPDATE embeddings SET vector = ? WHERE id = ?').run(vector, row.id)
  } finally {
    db.close()
  }
}

describe('a library with damage inside', () => {
  it('leaves out a stored vector holding NaN or Infinity; the photo is analysed again, the rest works', { timeout: 600_000 }, async () => {
    const dir = copyOfLibrary('nan')
    poison(dir, `photo_id = 2 AND object_id IS NULL AND method = '${METHODS.photo}'`, NaN)
    poison(dir, `photo_id = 4 AND object_id IS NOT NULL AND method = '${METHODS.object}' ORDER BY id LIMIT 1`, Infinity)

    // A reader reports the photos by id and path, and searches the rest.
    const search = await runCli(['search', '--id', '1', '--k', '4', '--library', dir])
    expect(search.code, search.stderr).toBe(0)
    expect(search.stderr).toContain(`photo 2 (${files[1]}) has a damaged stored photo vector (value 0 is NaN): it is left out of search`)
    expect(search.stderr).toMatch(new RegExp(`photo 4 \\(${files[3].replace(/[.]/g, '\\.')}\\) has a damaged stored object vector \\(value 0 is Infinity\\)`))
    expect(search.stdout).not.toContain(path.basename(files[1]))
    expect(search.stdout).toMatch(/^3\s+-?\d\.\d{3}\s/m)

    // The owner sends both photos back to pending and saves indexes without them.
    const owner = await Library.open({ dir, provider: 'cpu' })
    try {
      expect(owner.damaged.map((d) => [d.kind, d.photoId, d.path])).toEqual([['photo', 2, files[1]], ['object', 4, files[3]]])
      expect([2, 4].map((id) => owner.store.photos.get(id)?.status)).toEqual(['pending', 'pending'])
      expect(owner.indexes.photos.size).toBe(3)
      expectIndexesMatchStore(owner)
      const s = await indexLibrary(owner, [photos])
      expect(s).toMatchObject({ indexed: 2, skipped: 3, failed: [] })
      expect(owner.store.photos.statusCounts()).toMatchObject({ indexed: 5, pending: 0 })
      expectIndexesMatchStore(owner)
    } finally {
      await owner.close()
    }
    const again = await Library.open({ dir, readOnly: true })
    try {
      expect(again.damaged).toEqual([])
      expect(again.indexes.reports.photos).toMatchObject({ rebuilt: false, reason: 'loaded' })
    } finally {
      await again.close()
    }
  })

  it('names the damaged database file and says to restore it or rebuild the library', { timeout: 300_000 }, async () => {
    const dir = copyOfLibrary('garbled-page')
    const file = path.join(dir, 'library.db')
    const db = new Database(file, { readonly: true })
    const pageSize = db.pragma('page_size', { simple: true }) as number
    const page = (db.prepare("SELECT max(pageno) AS p FROM dbstat WHERE name = 'photos'").get() as { p: number }).p
    db.close()
    const garbage = Buffer.alloc(pageSize)
    for (let i = 0; i < pageSize; i++) garbage[i] = (i * 131 + 7) & 0xff
    const fd = openSync(file, 'r+')
    writeSync(fd, garbage, 0, pageSize, (page - 1) * pageSize)
    closeSync(fd)
    copyFileSync(file, `${file}.before`)

    const expected = [
      `The library database ${file} is damaged`,
      'Restore it from a backup; or move it aside',
      'rebuild the library by indexing its photo folders again',
    ]
    const search = await runCli(['search', '--id', '1', '--library', dir])
    expect(search.code).toBe(1)
    for (const text of expected) expect(search.stderr).toContain(text)
    expect(search.stderr).not.toMatch(/\n\s+at /) // a message, not a stack trace

    const index = await runCli(['index', photos, '--library', dir])
    expect(index.code).toBe(1)
    for (const text of expected) expect(index.stderr).toContain(text)

    // A garbled first page behind an intact header is damage too, not "not an SQLite file".
    const fd1 = openSync(file, 'r+')
    writeSync(fd1, garbage, 0, 84, 16)
    closeSync(fd1)
    const error = await Library.open({ dir, readOnly: true }).then(() => undefined, (e: unknown) => e)
    expect(error).toBeInstanceOf(LibraryDbError)
    expect(error).toMatchObject({ code: 'damaged', file })
  })
})
