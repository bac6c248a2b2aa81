import { afterEach, describe, expect, it } from 'vitest'
import { LibraryStore } from '../../../../src/main/engine/store/library-store.js'
import { MODEL_VERSION, scannedFile } from './fixtures/synthetic-library.js'
import { useTempDb } from './helpers.js'

const tempDb = useTempDb()
const stores: LibraryStore[] = []
afterEach(() => stores.splice(0).forEach((s) => s.close()))

function openWithPhotos(n: number): { s: LibraryStore; ids: number[] } {
  let t = 100
  const s = LibraryStore.open(tempDb(), { now: () => t++ })
  stores.push(s)
  const run = s.runs.start('index').id
  return { s, ids: Array.from({ length: n }, (_, i) => s.recordScan(scannedFile(i), run, () => false).photo.id) }
}

const model = (classId: number, state: 'positive' | 'negative', confidence: number) => ({ classId, state, confidence, modelVersion: MODEL_VERSION })

describe('labels', () => {
  it('lets model labels never overwrite human ones, and human labels win', () => {
    const { s, ids: [p] } = openWithPhotos(1)
    s.labels.setModelLabels(p, [model(1, 'positive', 0.8), model(2, 'negative', 0.1)])
    s.labels.correct({ photoId: p, classId: 1, state: 'negative', actor: 'ana' })
    s.labels.setModelLabels(p, [model(1, 'positive', 0.95), model(3, 'positive', 0.7)])
    expect(s.labels.listByPhoto(p).map((l) => [l.classId, l.source, l.state])).toEqual([
      [1, 'human', 'negative'], [1, 'model', 'positive'], [3, 'model', 'positive'],
    ])
    expect(s.labels.effective(p).map((l) => [l.classId, l.source, l.state])).toEqual([[1, 'human', 'negative'], [3, 'model', 'positive']])
  })

  it('logs every correction with who, when, the old and the new state', () => {
    const { s, ids: [p] } = openWithPhotos(1)
    s.labels.setModelLabels(p, [model(4, 'positive', 0.6)])
    const first = s.labels.correct({ photoId: p, classId: 4, state: 'negative', actor: 'ana', note: 'it is a cat' })
    const second = s.labels.correct({ photoId: p, classId: 4, state: 'unknown', actor: 'ben' })
    const third = s.labels.correct({ photoId: p, classId: 5, state: 'positive', actor: 'ben' })
    expect(first).toMatchObject({ oldState: 'positive', oldSource: 'model', newState: 'negative', actor: 'ana', note: 'it is a cat', contentHash: scannedFile(0).contentHash })
    expect(second).toMatchObject({ oldState: 'negative', oldSource: 'human', newState: 'unknown', actor: 'ben' })
    expect(third).toMatchObject({ oldState: null, oldSource: null })
    expect(second.at).toBeGreaterThan(first.at)
    expect(s.labels.history(p).map((h) => h.id)).toEqual([first.id, second.id, third.id])
    expect(s.labels.listByPhoto(p).filter((l) => l.source === 'human').map((l) => [l.classId, l.state])).toEqual([[4, 'unknown'], [5, 'positive']])
  })

  it('refuses a correction of a missing photo and writes nothing', () => {
    const { s } = openWithPhotos(1)
    expect(() => s.labels.correct({ photoId: 42, classId: 1, state: 'positive', actor: 'ana' })).toThrow(/no such photo/)
    expect(() => s.labels.correct({ photoId: 1, classId: 1, state: 'positive', actor: '' })).toThrow(/CHECK/)
    expect(s.labels.history()).toEqual([])
    expect(s.labels.listByPhoto(1)).toEqual([])
  })

  it('exports partial labels (+1 / -1 / 0) of human-labelled photos only', () => {
    const { s, ids } = openWithPhotos(3)
    s.labels.setModelLabels(ids[0], [model(0, 'positive', 0.9)])
    s.labels.setModelLabels(ids[2], [model(0, 'positive', 0.9)])
    s.labels.correct({ photoId: ids[0], classId: 2, state: 'positive', actor: 'ana' })
    s.labels.correct({ photoId: ids[0], classId: 4, state: 'negative', actor: 'ana' })
    s.labels.correct({ photoId: ids[1], classId: 4, state: 'unknown', actor: 'ana' })
    s.labels.correct({ photoId: ids[1], classId: 1, state: 'positive', actor: 'ana' })
    s.labels.correct({ photoId: ids[1], classId: 99, state: 'positive', actor: 'ana' })
    const rows = s.labels.exportPartialLabels(5)
    expect(rows.map((r) => [r.photoId, Array.from(r.targets)])).toEqual([
      [ids[0], [0, 0, 1, 0, -1]],
      [ids[1], [0, 1, 0, 0, 0]],
    ])
    expect(rows[0]).toMatchObject({ path: scannedFile(0).path, contentHash: scannedFile(0).contentHash })
  })
})
