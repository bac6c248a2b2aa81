import { mockApi, settle } from '../support/mock-api.js'
import { beforeEach, describe, expect, it } from 'vitest'
import { HEATMAP_TOP, openInLibrary, ScenesManager } from '../../../src/renderer/lib/managers/scenes.svelte.js'
import { PhotoGrid } from '../../../src/renderer/lib/managers/photo-grid.svelte.js'
import { Router } from '../../../src/renderer/lib/managers/router.svelte.js'
import type { CooccurrenceMatrix, ScenesOverview } from '../../../src/shared/scene-types.js'
import { serveFakeLibrary } from '../support/fake-library.js'
import { job } from '../support/records.js'

const overview = (ready: boolean): ScenesOverview => ({
  ready,
  k: 2,
  photos: ready ? 10 : 0,
  entropy: { batch: 0.69, perPhoto: 0.1, max: Math.log(2) },
  labelSource: 'human labels where known, model labels otherwise',
  computedAt: ready ? 1 : null,
  stalePhotos: 0,
  scenes: ready
    ? [
        { id: 0, name: 'car · traffic light', size: 6, labels: [], typical: [1, 2], pairs: [['car', 'person', 0.5]] },
        { id: 1, name: 'couch · tv', size: 4, labels: [], typical: [3], pairs: [] },
      ]
    : [],
})

/** A matrix over `classIds` (or the first three classes), P = 1 on the diagonal. */
function matrix(scene: number | 'global', classIds = [0, 2, 9]): CooccurrenceMatrix {
  return { scene, photos: 5, classIds, names: classIds.map((c) => `c${c}`), counts: classIds.map(() => 2), p: classIds.map((_, i) => classIds.map((__, j) => (i === j ? 1 : 0.5))) }
}

describe('ScenesManager', () => {
  beforeEach(() => mockApi.reset())

  it('reads the overview and says why when the channel fails', async () => {
    const scenes = new ScenesManager()
    mockApi.handle('scenes.get', () => overview(true))
    await scenes.load()
    expect(scenes.overview?.scenes.map((s) => s.name)).toEqual(['car · traffic light', 'couch · tv'])
    expect(scenes.sceneName(1)).toBe('couch · tv')
    expect(scenes.sceneName('global')).toBe('Whole library')
    mockApi.handle('scenes.get', () => {
      throw new Error('the library is locked')
    })
    await scenes.load()
    expect(scenes.error).toContain('the library is locked')
  })

  it('asks for scene B over scene A’s labels so the two align, and the analyst’s pick for A', async () => {
    mockApi.handle('scenes.get', () => overview(true))
    mockApi.handle('scenes.matrix', (req) => matrix(req.scene, req.classIds ?? [0, 2, 9]))
    const scenes = new ScenesManager()
    await scenes.load()
    await scenes.showHeatmap(0, 1)
    expect(scenes.tab).toBe('cooccurrence')
    const calls = mockApi.callsOf('scenes.matrix')
    expect(calls).toEqual([
      { scene: 0, top: HEATMAP_TOP },
      { scene: 1, classIds: [0, 2, 9], top: HEATMAP_TOP },
    ])
    expect(scenes.matrixB?.classIds).toEqual(scenes.matrixA?.classIds)
    await scenes.pickLabels([5, 7])
    expect(mockApi.callsOf('scenes.matrix').at(-2)).toEqual({ scene: 0, classIds: [5, 7], top: HEATMAP_TOP })
    // Comparing a scene with itself is no comparison.
    await scenes.showHeatmap(1, 1)
    expect(scenes.sceneB).toBeNull()
    expect(scenes.matrixB).toBeNull()
  })

  it('follows the scene job and reloads the scenes and the heatmap when it ends', async () => {
    let ready = false
    mockApi.handle('scenes.get', () => overview(ready))
    mockApi.handle('scenes.compute', () => ({ jobId: 4 }))
    mockApi.handle('jobs.list', () => [job(4, 'running', 0, 10, { kind: 'scenes' })])
    mockApi.handle('scenes.matrix', (req) => matrix(req.scene))
    const scenes = new ScenesManager()
    const off = scenes.connect()
    await scenes.load()
    await scenes.compute(3)
    expect(mockApi.callsOf('scenes.compute')[0]).toEqual({ k: 3 })
    expect(scenes.computing).toBe(true)
    mockApi.emit('job.updated', job(9, 'running', 1, 10, { kind: 'index' }))
    expect(scenes.job?.id).toBe(4)
    ready = true
    mockApi.emit('job.updated', job(4, 'completed', 10, 10, { kind: 'scenes' }))
    await settle()
    expect(scenes.computing).toBe(false)
    expect(scenes.overview?.ready).toBe(true)
    off()
    expect(mockApi.listenerCount('job.updated')).toBe(0)
  })

  it('opens the library grid with a filter preset, counted before the view changes', async () => {
    serveFakeLibrary(7)
    const grid = new PhotoGrid()
    const router = new Router()
    await openInLibrary({ grid, router }, { scene: 1, labels: [0, 2] })
    expect(grid.filter).toEqual({ scene: 1, labels: [0, 2] })
    expect(grid.total).toBe(7)
    expect(router.route).toEqual({ view: 'library' })
    expect(mockApi.callsOf('photos.count')[0]).toEqual({ filter: { scene: 1, labels: [0, 2] } })
  })
})
