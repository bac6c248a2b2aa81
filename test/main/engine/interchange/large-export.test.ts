/**
 * Large exports stream: 20,000 photos (rows of a real SQLite library, with human labels and boxes)
 * are written a page at a time with a progress call per photo; the file appears under its name
 * only when complete; a cancelled export leaves nothing behind.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { exportLibrary } from '../../../../src/main/engine/interchange/export-library.js'
import { LibraryStore } from '../../../../src/main/engine/store/library-store.js'
import { annotationService, useTempDirs } from '../annotation/library-fixture.js'

const tempDir = useTempDirs('constella-interchange-')
const PHOTOS = 20_000

/** A library of PHOTOS photo rows in 20 folders, each with a human dog label and box and a model cat label. */
function bigLibrary(dir: string): LibraryStore {
  const store = LibraryStore.open(path.join(dir, 'library.db'))
  store.transaction(() => {
    const photo = store.db.prepare("INSERT INTO photos (path, content_hash, bytes, mtime_ms, width, height, status, indexed_at) VALUES (?, ?, 1, 1, 640, 480, 'indexed', 1)")
    const label = store.db.prepare("INSERT INTO labels (photo_id, class_id, source, state, model_version, confidence, updated_at, origin) VALUES (?, ?, ?, ?, ?, ?, 1, ?)")
    const box = store.db.prepare("INSERT INTO objects (photo_id, x1, y1, x2, y2, class_id, score, source, model_version, created_at) VALUES (?, 10, 20, 110, 220, 16, NULL, 'human', NULL, 1)")
    for (let i = 0; i < PHOTOS; i++) {
      const id = Number(photo.run(`/photos/folder-${i % 20}/img-${i}.jpg`, `h${i}`).lastInsertRowid)
      label.run(id, 16, 'human', 'positive', null, null, 'hand')
      label.run(id, 15, 'model', 'positive', 'det@1', 0.4, null)
      box.run(id)
    }
  })
  return store
}

describe('large exports', () => {
  it('streams 20,000 photos with progress, and the file appears only when complete', async () => {
    const dir = tempDir()
    const store = bigLibrary(dir)
    const vocabulary = annotationService(store).vocabulary
    const out = path.join(dir, 'big.json')
    const progress: number[] = []
    let sawPartial = false
    const started = Date.now()
    const summary = await exportLibrary(store.db, vocabulary, {
      format: 'coco', out, pageSize: 500,
      onProgress: (done, total) => {
        expect(total).toBe(PHOTOS)
        progress.push(done)
        if (done === PHOTOS / 2) sawPartial = !existsSync(out) && readdirSync(dir).some((f) => f.startsWith('big.json.partial-'))
      },
    })
    const seconds = (Date.now() - started) / 1000
    expect(sawPartial).toBe(true)
    expect(progress).toHaveLength(PHOTOS)
    expect(progress.every((d, i) => d === i + 1)).toBe(true)
    expect(summary).toMatchObject({ photos: PHOTOS, boxes: PHOTOS, labels: PHOTOS })
    const coco = JSON.parse(readFileSync(out, 'utf8')) as { images: { file_name: string; constella_labels: { positive: number[] } }[]; annotations: unknown[] }
    expect(coco.images).toHaveLength(PHOTOS)
    expect(coco.annotations).toHaveLength(PHOTOS)
    expect(coco.images[7]).toMatchObject({ file_name: 'folder-7/img-7.jpg', constella_labels: { positive: [18] } })
    expect(readdirSync(dir).filter((f) => f.includes('partial') || f.endsWith('.annotations'))).toEqual([])

    const jsonl = path.join(dir, 'big.jsonl')
    await exportLibrary(store.db, vocabulary, { format: 'jsonl', out: jsonl })
    const lines = readFileSync(jsonl, 'utf8').trimEnd().split('\n')
    expect(lines).toHaveLength(PHOTOS)
    expect(JSON.parse(lines[0]).labels).toEqual([
      { class_id: 15, name: 'cat', state: 'positive', source: 'model', origin: null, confidence: 0.4, model_state: 'positive' },
      { class_id: 16, name: 'dog', state: 'positive', source: 'human', origin: 'hand', confidence: null, model_state: null },
    ])
    console.info(`coco export of ${PHOTOS} photos: ${seconds.toFixed(1)} s`)
    store.close()
  }, 120_000)

  it('leaves nothing behind when cancelled', async () => {
    const dir = tempDir()
    const store = bigLibrary(dir)
    const controller = new AbortController()
    const out = path.join(dir, 'cancelled.json')
    await expect(exportLibrary(store.db, annotationService(store).vocabulary, {
      format: 'coco', out, onProgress: (done) => done === 1000 && controller.abort(), signal: controller.signal,
    })).rejects.toThrow(/cancelled/)
    expect(readdirSync(dir).filter((f) => f.startsWith('cancelled'))).toEqual([])
    store.close()
  }, 120_000)
})
