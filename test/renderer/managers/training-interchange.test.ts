import { mockApi } from '../support/mock-api.js'
import { beforeEach, describe, expect, it } from 'vitest'
import { ApiError } from '../../../src/shared/envelope.js'
import type { ImportReport, TrainProgress } from '../../../src/shared/api-contract.js'
import { curvePoints, latestJob, metricChanges, trainProgress, TrainingManager } from '../../../src/renderer/lib/managers/training.svelte.js'
import { exportRequest, formatInfo, importRequest, InterchangeManager, jobReport, pathInFolder } from '../../../src/renderer/lib/managers/interchange.svelte.js'
import { job } from '../support/records.js'

const progress: TrainProgress = {
  stage: 'training', epoch: 3, epochs: 10,
  history: [
    { epoch: 1, loss: 0.9, validationMAP: null },
    { epoch: 2, loss: 0.7, validationMAP: 81.5 },
    { epoch: 3, loss: Number.NaN, validationMAP: 82 },
  ],
}

describe('TrainingManager', () => {
  beforeEach(() => mockApi.reset())

  it('starts with the chosen split and epochs, and shows why a start was refused', async () => {
    mockApi.handle('train.start', () => {
      throw new ApiError('bad-request', 'no photo has a human-known label yet')
    })
    const t = new TrainingManager()
    t.split = 0.8
    t.epochs = 2.4
    expect(await t.start()).toBeNull()
    expect(t.actionError).toBe('no photo has a human-known label yet')
    mockApi.handle('train.start', () => ({ jobId: 12 }))
    expect(await t.start(true)).toBe(12)
    expect(t.actionError).toBeNull()
    expect(mockApi.callsOf('train.start').at(-1)).toEqual({ split: 0.8, epochs: 2, resume: true })
  })

  it('lists head versions, the active one, and activates or rolls back as jobs', async () => {
    const head = (id: string, active: boolean) => ({ id, modelVersion: id, createdAt: '2026-11-30T05:00:00Z', active, before: null, after: null, trainedOn: id === 'default' ? null : 40 })
    mockApi.handle('heads.list', () => [head('default', false), head('h2', true)])
    mockApi.handle('heads.activate', () => ({ jobId: 3 }))
    mockApi.handle('heads.rollback', () => ({ jobId: 4 }))
    const t = new TrainingManager()
    await t.loadHeads()
    expect(t.active?.id).toBe('h2')
    expect(await t.activate('default')).toBe(3)
    expect(mockApi.callsOf('heads.activate')).toEqual([{ id: 'default' }])
    expect(await t.rollback()).toBe(4)
  })

  it('reads progress, curve points and before → after figures', () => {
    const jobs = [job(9, 'running', 0, 10, { kind: 'train', detail: { kind: 'train', progress } }), job(8, 'completed', 5, 5, { kind: 'activate-head' })]
    expect(latestJob(jobs, ['activate-head'])?.id).toBe(8)
    expect(trainProgress(latestJob(jobs, ['train']))?.epoch).toBe(3)
    expect(trainProgress(jobs[1])).toBeNull()
    const points = curvePoints(progress)
    expect(points.filter((p) => p.series === 'loss').map((p) => p.value)).toEqual([0.9, 0.7])
    expect(points.filter((p) => p.series === 'validation mAP').map((p) => p.epoch)).toEqual([2, 3])
    const changes = metricChanges({ before: { photos: 30, mAP: 77.5, ndcg: 62, clsMAP: null }, after: { photos: 30, mAP: 86.2, ndcg: 71.5, clsMAP: 80.3 } })
    expect(changes.map((c) => c.delta === null ? null : Number(c.delta.toFixed(1)))).toEqual([8.7, 9.5, null])
  })
})

describe('InterchangeManager', () => {
  beforeEach(() => mockApi.reset())

  it('suggests a file in a picked folder for file formats, the folder itself for folder formats', () => {
    expect(pathInFolder('/home/ann/out/', 'coco')).toBe('/home/ann/out/labels.coco.json')
    expect(pathInFolder('C:\\Users\\ann', 'csv')).toBe('C:\\Users\\ann\\labels.csv')
    expect(pathInFolder('/home/ann/yolo', 'yolo')).toBe('/home/ann/yolo')
    expect(formatInfo('voc').target).toBe('folder')
  })

  it('sends the options of its direction only, and needs a path', async () => {
    mockApi.handle('interchange.export', () => ({ jobId: 5 }))
    mockApi.handle('interchange.import', () => ({ jobId: 6 }))
    const x = new InterchangeManager()
    x.show('export')
    expect(await x.run()).toBeNull()
    expect(x.error).toMatch(/path of the file/)
    x.path = ' /tmp/a.json '
    x.includeModel = true
    expect(await x.run()).toBe(5)
    expect(mockApi.callsOf('interchange.export')).toEqual([{ format: 'coco', path: '/tmp/a.json', includeModel: true, force: false }])
    x.show('import')
    expect(x.jobId).toBeNull()
    x.dryRun = true
    x.negatives = 'none'
    expect(await x.run()).toBe(6)
    expect(mockApi.callsOf('interchange.import')).toEqual([{ format: 'coco', path: '/tmp/a.json', negatives: 'none', addClasses: false, dryRun: true }])
    expect(importRequest(x).format).toBe(exportRequest(x).format)
  })

  it('finds the report in a finished job', () => {
    const report: ImportReport = {
      format: 'coco', records: 3, matchedPhotos: 2, unmatched: { count: 1, examples: ['x.jpg'] }, unknownClasses: [{ name: 'gnu', count: 1, reason: 'no GloVe vector' }],
      addedClasses: [], labelsSet: 4, boxesAdded: 0, photosChanged: 2, dryRun: false,
    }
    expect(jobReport(job(1, 'completed', 3, 3, { kind: 'import', detail: { kind: 'import', report } }))).toEqual({ kind: 'import', report })
    expect(jobReport(job(2, 'running'))).toBeNull()
  })
})
