import { afterEach, describe, expect, it } from 'vitest'
import { LibraryStore } from '../../../../src/main/engine/store/library-store.js'
import { modelVersionOf } from '../../../../src/main/engine/store/model-version-repository.js'
import { useTempDb } from './helpers.js'

const tempDb = useTempDb()
const stores: LibraryStore[] = []
afterEach(() => stores.splice(0).forEach((s) => s.close()))

function open(): LibraryStore {
  let t = 1000
  const s = LibraryStore.open(tempDb(), { now: () => t++ })
  stores.push(s)
  return s
}

describe('runs', () => {
  it('starts, counts and finishes runs; resumes an unfinished one', () => {
    const s = open()
    const { run, resumed } = s.runs.resumeOrStart('index', { roots: ['/lib'] })
    expect(resumed).toBe(false)
    expect(run).toMatchObject({ kind: 'index', status: 'running', args: { roots: ['/lib'] }, counts: {}, finishedAt: null })
    s.runs.setCounts(run.id, { indexed: 3 })
    expect(s.runs.resumeOrStart('index')).toMatchObject({ resumed: true, run: { id: run.id, counts: { indexed: 3 } } })
    expect(s.runs.unfinished('eval')).toBeUndefined()
    const done = s.runs.finish(run.id, 'completed', { indexed: 5 })
    expect(done).toMatchObject({ status: 'completed', counts: { indexed: 5 } })
    expect(done.finishedAt).toBeGreaterThan(done.startedAt)
    expect(() => s.runs.finish(run.id, 'failed')).toThrow(/not running/)
    const next = s.runs.resumeOrStart('index')
    expect(next.resumed).toBe(false)
    s.runs.finish(next.run.id, 'failed', undefined, 'disk full')
    expect(s.runs.list(10).map((r) => [r.id, r.status, r.error])).toEqual([[next.run.id, 'failed', 'disk full'], [run.id, 'completed', null]])
    expect(s.runs.list(10, 'eval')).toEqual([])
  })
})

describe('model versions', () => {
  it('registers model files idempotently under name@sha12', () => {
    const s = open()
    const sha = 'AB'.repeat(32)
    const rec = s.models.register({ name: 'centernet-mobilenetv3', role: 'detector', sha256: sha, source: '@vladmandic/human@3.3.6' })
    expect(rec).toMatchObject({ version: 'centernet-mobilenetv3@abababababab', sha256: sha.toLowerCase() })
    expect(modelVersionOf('centernet-mobilenetv3', sha)).toBe(rec.version)
    expect(s.models.register({ name: 'centernet-mobilenetv3', role: 'detector', sha256: sha, source: 'x' })).toEqual(rec)
    expect(() => s.models.register({ name: 'centernet-mobilenetv3', role: 'detector', sha256: 'ab'.repeat(6) + 'cd'.repeat(26), source: 'x' })).toThrow(/already registered/)
    s.models.register({ name: 'inception-v3', role: 'backbone', sha256: 'cd'.repeat(32), source: 'nsfwjs@4.4.0' })
    expect(s.models.list('backbone').map((m) => m.name)).toEqual(['inception-v3'])
    expect(s.models.list()).toHaveLength(2)
  })
})
