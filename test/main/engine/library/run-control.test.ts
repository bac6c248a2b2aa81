/**
 * What the app's job manager relies on: an index run cancelled through its AbortSignal finishes
 * the photos in flight, saves, records the run as cancelled and leaves the rest pending for the
 * next run; every photo's outcome arrives with its failure reason; and a store write that fails
 * for one photo is that photo's failure, never the end of the run.
 */
import path from 'node:path'
import { writeFileSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { indexLibrary } from '../../../../src/main/engine/library/indexer.js'
import { Library } from '../../../../src/main/engine/library/library.js'
import { copyCocoPhotos, expectIndexesMatchStore, tempFolder } from './helpers.js'

const temp = tempFolder('constella-run-control-')
afterAll(temp.cleanup)

describe('index run control', () => {
  it('cancels cleanly: in-flight photos finish, the run is recorded as cancelled, the next run continues', { timeout: 600_000 }, async () => {
    const photos = path.join(temp.dir, 'photos')
    copyCocoPhotos(photos, 12, 330)
    const notes = path.join(photos, 'notes.jpg')
    writeFileSync(notes, 'not a photo at all\n'.repeat(10))
    const dir = path.join(temp.dir, 'library')
    const lib = await Library.open({ dir, provider: 'cpu' })
    try {
      const controller = new AbortController()
      const done: { file: string; ok: boolean; reason?: string }[] = []
      const s = await indexLibrary(lib, [photos], {
        concurrency: 2,
        signal: controller.signal,
        onPhotoDone: (file, ok, reason) => {
          done.push({ file, ok, reason })
          if (done.length === 4) controller.abort()
        },
      })
      expect(s.cancelled).toBe(true)
      expect(s.indexed).toBeGreaterThanOrEqual(3) // the notes file may be one of the first four
      expect(s.indexed).toBeLessThanOrEqual(6) // four done + at most two in flight when cancelled
      expect(s.pruned).toBe(0)
      expect(lib.store.runs.get(s.runId)).toMatchObject({ status: 'cancelled' })
      const counts = lib.store.photos.statusCounts()
      expect(counts.indexed).toBe(s.indexed)
      expect(counts.indexed + counts.failed + counts.pending).toBeLessThan(14)
      expectIndexesMatchStore(lib)

      const rest = await indexLibrary(lib, [photos], { onPhotoDone: (file, ok, reason) => done.push({ file, ok, reason }) })
      expect(rest).toMatchObject({ cancelled: false, resumed: false, indexed: 12 - s.indexed })
      expect(lib.store.photos.statusCounts()).toMatchObject({ indexed: 12, failed: 1, pending: 0 })
      expect(lib.store.runs.get(rest.runId)).toMatchObject({ status: 'completed' })
      const failure = done.find((d) => d.file === notes && !d.ok)
      expect(failure?.reason).toMatch(/notes\.jpg: its contents are not an image/)
      expect(done.filter((d) => d.ok).every((d) => d.reason === undefined)).toBe(true)
    } finally {
      await lib.close()
    }
    const reopened = await Library.open({ dir, readOnly: true })
    try {
      expect(reopened.indexes.reports.photos).toMatchObject({ rebuilt: false, reason: 'loaded' })
    } finally {
      await reopened.close()
    }
  })

  it('records a photo whose store write fails as failed, and indexes the others', { timeout: 600_000 }, async () => {
    const photos = path.join(temp.dir, 'photos-2')
    const files = copyCocoPhotos(photos, 4, 350)
    const lib = await Library.open({ dir: path.join(temp.dir, 'library-2'), provider: 'cpu' })
    try {
      // A real SQLite failure inside saveAnalysis for one photo (as a full disk or an I/O error would give).
      lib.store.db.exec(`CREATE TEMP TRIGGER refuse BEFORE UPDATE OF status ON photos
        WHEN NEW.status = 'indexed' AND NEW.path = '${files[1]}' BEGIN SELECT RAISE(ABORT, 'disk I/O error (simulated)'); END`)
      const s = await indexLibrary(lib, [photos])
      expect(s.indexed).toBe(3)
      expect(s.failed).toEqual([{ path: files[1], reason: 'its analysis could not be saved in the library: disk I/O error (simulated)' }])
      const photo = lib.store.photos.findByPath(files[1])!
      expect(photo).toMatchObject({ status: 'failed', error: 'its analysis could not be saved in the library: disk I/O error (simulated)' })
      expect(lib.store.objects.listByPhoto(photo.id)).toEqual([])
      expectIndexesMatchStore(lib)
    } finally {
      await lib.close()
    }
  })
})
