import { mockApi, settle } from '../support/mock-api.js'
import { beforeEach, describe, expect, it } from 'vitest'
import { base64Bytes, decodeMap, EmbeddingMapManager } from '../../../src/renderer/lib/managers/embedding-map.svelte.js'
import type { EmbeddingMap } from '../../../src/shared/scene-types.js'
import { job } from '../support/records.js'

const b64 = (a: ArrayBufferView): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64')

/** A map of `n` photos (ids 100.., x = i, y = -i, scene i % 3), with a label on even photos when asked. */
function map(n: number, computedAt = 5, classId?: number): EmbeddingMap {
  const ids = Int32Array.from({ length: n }, (_, i) => 100 + i)
  const xy = Float32Array.from({ length: 2 * n }, (_, k) => (k % 2 === 0 ? k / 2 : -(k - 1) / 2))
  const scenes = Uint8Array.from({ length: n }, (_, i) => i % 3)
  const label = classId === undefined ? undefined : b64(Uint8Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : 0)))
  return { ready: n > 0, count: n, ids: b64(ids), xy: b64(xy), scenes: b64(scenes), label, computedAt }
}

describe('embedding map', () => {
  beforeEach(() => mockApi.reset())

  it('decodes the base64 typed arrays of map.get and refuses arrays of the wrong length', () => {
    const d = decodeMap(map(4))
    expect([...d.ids]).toEqual([100, 101, 102, 103])
    expect([...d.xy]).toEqual([0, -0, 1, -1, 2, -2, 3, -3])
    expect([...d.scenes]).toEqual([0, 1, 2, 0])
    expect(d.label).toBeNull()
    expect([...base64Bytes('AQID')]).toEqual([1, 2, 3])
    expect(() => decodeMap({ ...map(4), count: 5 })).toThrow(/do not hold 5 photos/)
  })

  it('loads the map with its point index, recolours by a label without moving points, and turns a selection into ids', async () => {
    let computedAt = 5
    mockApi.handle('map.get', (req) => map(6, computedAt, req.classId))
    const m = new EmbeddingMapManager()
    await m.load()
    expect(m.ready).toBe(true)
    expect(m.index?.count).toBe(6)
    const index = m.index
    m.select(Int32Array.from([1, 4]))
    expect(m.selectedIds()).toEqual([101, 104])
    await m.setColorBy(3)
    expect(mockApi.callsOf('map.get').at(-1)).toEqual({ classId: 3 })
    expect([...(m.data?.label ?? [])]).toEqual([1, 0, 1, 0, 1, 0])
    expect(m.index).toBe(index)
    expect(m.selection.length).toBe(2)
    // A recomputed layout drops the selection (its indices mean other photos now).
    computedAt = 9
    await m.load()
    expect(m.index).not.toBe(index)
    expect(m.selection.length).toBe(0)
  })

  it('says when the map is not computed, starts the job and reloads when it completes', async () => {
    let ready = false
    mockApi.handle('map.get', () => (ready ? map(3) : map(0, 0)))
    mockApi.handle('map.compute', () => ({ jobId: 2 }))
    mockApi.handle('jobs.list', () => [job(2, 'queued', 0, null, { kind: 'map' })])
    const m = new EmbeddingMapManager()
    const off = m.connect()
    await m.load()
    expect(m.ready).toBe(false)
    await m.compute()
    expect(m.computing).toBe(true)
    ready = true
    mockApi.emit('job.updated', job(2, 'completed', 3, 3, { kind: 'map' }))
    await settle()
    expect(m.ready).toBe(true)
    expect(m.data?.count).toBe(3)
    off()
  })
})
