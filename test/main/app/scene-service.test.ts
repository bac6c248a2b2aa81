/**
 * The scene and map channels over a real app: coco-dev photos indexed by the app, scenes found as
 * a job (library.changed {reason: 'scenes'} pushed), the overview and heatmaps, a heatmap cell's
 * photos through `photos.list` with `scene`, a label edit folded into the counts without a
 * recompute, and the map job drawn from the stored layout with a label's presence.
 */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyPhotos, jobsDone, startApp, type AppFixture } from './app-fixture.js'

let app: AppFixture
const K = 3
const PHOTOS = 24

beforeAll(async () => {
  app = await startApp()
  const photosDir = path.join(app.root, 'photos')
  copyPhotos(photosDir, PHOTOS, 40)
  await app.call('folders.add', { path: photosDir })
  await jobsDone(app, 240_000)
}, 300_000)

afterAll(async () => app?.cleanup())

const decode = <T extends Int32Array | Float32Array | Uint8Array>(b64: string, Kind: new (b: ArrayBuffer) => T): T => {
  const bytes = Buffer.from(b64, 'base64')
  return new Kind(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
}

describe('scenes and map channels', () => {
  it('says scenes are not ready, then finds them as a job', async () => {
    expect((await app.call('scenes.get', {})).ready).toBe(false)
    const { jobId } = await app.call('scenes.compute', { k: K })
    const jobs = await jobsDone(app, 120_000)
    expect(jobs.find((j) => j.id === jobId)).toMatchObject({ kind: 'scenes', state: 'completed' })
    expect(app.events.some((e) => e.event === 'library.changed' && (e.payload as { reason: string }).reason === 'scenes')).toBe(true)
    const o = await app.call('scenes.get', {})
    expect(o).toMatchObject({ ready: true, k: K, photos: PHOTOS, stalePhotos: 0 })
    expect(o.scenes.reduce((s, x) => s + x.size, 0)).toBe(PHOTOS)
    for (const s of o.scenes) expect(s.typical.length).toBe(Math.min(12, s.size))
  }, 300_000)

  it('opens a heatmap cell: the photos of the scene with both labels', async () => {
    const global = await app.call('scenes.matrix', { scene: 'global', top: 6 })
    expect(global.photos).toBe(PHOTOS)
    for (let scene = 0; scene < K; scene++) {
      const m = await app.call('scenes.matrix', { scene, top: 5 })
      for (let i = 0; i < m.classIds.length; i++) {
        expect(m.p[i][i]).toBe(1)
        for (let j = 0; j < m.classIds.length; j++) {
          const labels = [...new Set([m.classIds[i], m.classIds[j]])]
          const page = await app.call('photos.list', { filter: { scene, labels }, limit: 500 })
          expect(page.items.length).toBe(Math.round(m.p[i][j] * m.counts[i]))
        }
      }
    }
  })

  it('folds a label edit into the counts without a recompute', async () => {
    const m = await app.call('scenes.matrix', { scene: 0, top: 3 })
    const [photo] = (await app.call('photos.list', { filter: { scene: 0, labels: [m.classIds[0]] }, limit: 1 })).items
    await app.call('labels.set', { photoId: photo.id, classId: m.classIds[0], state: 'negative' })
    const after = await app.call('scenes.matrix', { scene: 0, classIds: [m.classIds[0]] })
    expect(after.counts[0]).toBe(m.counts[0] - 1)
    expect((await app.call('scenes.get', {})).labelSource).toMatch(/people set/)
  })

  it('draws the map as a job, with scenes and a label', async () => {
    expect((await app.call('map.get', {})).ready).toBe(false)
    const { jobId } = await app.call('map.compute', {})
    const jobs = await jobsDone(app, 240_000)
    expect(jobs.find((j) => j.id === jobId)).toMatchObject({ kind: 'map', state: 'completed' })
    const overview = await app.call('scenes.get', {})
    const label = overview.scenes[0].labels[0]?.classId ?? 0
    const map = await app.call('map.get', { classId: label })
    expect(map).toMatchObject({ ready: true, count: PHOTOS })
    const ids = decode(map.ids, Int32Array)
    const xy = decode(map.xy, Float32Array)
    const scenes = decode(map.scenes, Uint8Array)
    expect(xy.length).toBe(2 * PHOTOS)
    expect(xy.every(Number.isFinite)).toBe(true)
    expect(new Set(xy).size).toBeGreaterThan(PHOTOS) // spread out, not all at one point
    expect([...scenes].every((s) => s < K)).toBe(true)
    const has = decode(map.label!, Uint8Array)
    const withLabel = (await app.call('photos.list', { filter: { labels: [label] }, limit: 500 })).items.map((c) => c.id).sort((a, b) => a - b)
    expect([...ids].filter((_, i) => has[i] === 1).sort((a, b) => a - b)).toEqual(withLabel)
  }, 300_000)
})
