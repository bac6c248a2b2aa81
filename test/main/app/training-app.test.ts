/**
 * Training the head from the app, over a real library of coco-dev photos whose ground truth was
 * imported as human labels: a refusal with too few labelled photos, a 'train' job in the training
 * process with progress (stage, epochs, loss, validation mAP) in `job.updated`, the new version in
 * `heads.list` with before/after figures, activation (re-embedding from stored inputs, search on the
 * new head, kept across a restart without re-indexing), rollback, and cancel keeping the best head.
 */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobInfo, TrainProgress } from '../../../src/shared/api-contract.js'
import { METHODS } from '../../../src/main/engine/store/embedding-methods.js'
import { COCO_DEV_DIR } from '../../support/coco-images.js'
import { copyPhotos, jobsDone, startApp, type AppFixture } from './app-fixture.js'
import { jobEnded } from './annotation-support.js'

let app: AppFixture
const PHOTOS = 16

const progressOf = (job: JobInfo): TrainProgress => (job.detail as { kind: 'train'; progress: TrainProgress }).progress
/** The head version the photo vectors of the library were made with. */
const vectorVersions = () => new Set([...app.engine.library.store.embeddings.iterate(METHODS.photo)].map((e) => e.modelVersion))

beforeAll(async () => {
  app = await startApp()
  const dir = path.join(app.root, 'photos')
  copyPhotos(dir, PHOTOS, 40)
  await app.call('folders.add', { path: dir })
  await jobsDone(app, 240_000)
}, 300_000)

afterAll(async () => app?.cleanup())

describe('training from the app', () => {
  it('refuses to train without enough human-labelled photos, saying how to get them', async () => {
    const reply = await app.api.call('train.start', { split: 0.7 })
    expect(!reply.ok && reply.error.code).toBe('bad-request')
    expect(!reply.ok && reply.error.message).toMatch(/at least 12 photos .* this library has 0\. .*import labels/)
  })

  it('trains on imported human labels in the training process and lists the new version with its figures', async () => {
    const imported = await jobEnded(app, (await app.call('interchange.import', { format: 'coco', path: path.join(COCO_DEV_DIR, 'labels.json') })).jobId)
    expect(imported.state).toBe('completed')
    const { jobId } = await app.call('train.start', { split: 0.5, epochs: 2 })
    const job = await jobEnded(app, jobId, 300_000)
    expect(job).toMatchObject({ kind: 'train', state: 'completed', error: null, done: expect.any(Number), total: 2 })
    const progress = progressOf(job)
    expect(progress.history.length).toBeGreaterThanOrEqual(1)
    expect(progress.history.every((h) => Number.isFinite(h.loss) && h.loss > 0)).toBe(true)
    expect(progress.headId).toMatch(/^head-/)
    const pushed = app.events.flatMap((m) => (m.event === 'job.updated' && m.payload.id === jobId && m.payload.detail?.kind === 'train' ? [m.payload.detail.progress.stage] : []))
    expect(pushed).toEqual(expect.arrayContaining(['reading cached features', 'training', 'evaluating', 'done']))

    const heads = await app.call('heads.list', {})
    expect(heads.map((h) => [h.id, h.active])).toEqual([['default', true], [progress.headId, false]])
    const trained = heads[1]
    expect(trained.trainedOn).toBe(PHOTOS / 2)
    expect(trained.before).toMatchObject({ photos: PHOTOS / 2 })
    for (const m of [trained.before!, trained.after!]) {
      expect(m.mAP).toBeGreaterThan(0)
      expect(m.mAP).toBeLessThanOrEqual(100)
      expect(m.ndcg).toBeGreaterThan(0)
    }
  }, 400_000)

  it('activates the trained head (re-embedding, search on it, kept across a restart) and rolls back', async () => {
    const [, trained] = await app.call('heads.list', {})
    const before = app.engine.library.versions.head
    const photoId = (await app.call('photos.list', {})).items[0].id
    const searchBefore = await app.call('search.run', { query: { kind: 'photo', photoId }, k: 5 })

    const job = await jobEnded(app, (await app.call('heads.activate', { id: trained.id })).jobId, 300_000)
    expect(job).toMatchObject({ kind: 'activate-head', state: 'completed', done: PHOTOS, total: PHOTOS })
    expect(job.detail).toMatchObject({ kind: 'activate-head', headId: trained.id, photos: PHOTOS })
    expect(app.events.some((m) => m.event === 'library.changed' && m.payload.reason === 'head')).toBe(true)
    const after = app.engine.library.versions.head
    expect(after).not.toBe(before)
    expect(vectorVersions()).toEqual(new Set([after]))
    const searchAfter = await app.call('search.run', { query: { kind: 'photo', photoId }, k: 5 })
    expect(searchAfter.results.map((r) => r.similarity)).not.toEqual(searchBefore.results.map((r) => r.similarity))
    expect((await app.call('heads.list', {})).find((h) => h.active)?.id).toBe(trained.id)

    await app.reopen()
    expect(app.engine.library.versions.head).toBe(after)
    expect((await app.call('library.status', {})).photos).toMatchObject({ indexed: PHOTOS, pending: 0 })
    expect((await app.call('jobs.list', {})).filter((j) => j.state === 'queued' || j.state === 'running')).toEqual([])

    const back = await jobEnded(app, (await app.call('heads.rollback', {})).jobId, 300_000)
    expect(back).toMatchObject({ kind: 'activate-head', state: 'completed' })
    expect(app.engine.library.versions.head).toBe(before)
    expect(vectorVersions()).toEqual(new Set([before]))
    const restored = await app.call('search.run', { query: { kind: 'photo', photoId }, k: 5 })
    expect(restored.results.map((r) => r.photoId)).toEqual(searchBefore.results.map((r) => r.photoId))
    const rolledBack = await app.api.call('heads.rollback', {})
    expect(!rolledBack.ok && rolledBack.error.code).toBe('bad-request')
  }, 400_000)

  it('cancel keeps the best head so far; resume continues from the checkpoint', async () => {
    const { jobId } = await app.call('train.start', { split: 0.5, epochs: 40 })
    for (let i = 0; i < 3000; i++) {
      const job = (await app.call('jobs.list', {})).find((j) => j.id === jobId)!
      if ((job.detail?.kind === 'train' && job.detail.progress.history.length >= 1) || !['queued', 'running'].includes(job.state)) break
      await new Promise((r) => setTimeout(r, 100))
    }
    await app.call('jobs.cancel', { id: jobId })
    const cancelled = await jobEnded(app, jobId, 120_000)
    expect(cancelled.state).toBe('cancelled')
    const progress = progressOf(cancelled)
    expect(progress.history.length).toBeLessThan(40)
    expect(progress.headId).toMatch(/^head-/)
    expect((await app.call('heads.list', {})).map((h) => h.id)).toContain(progress.headId)

    const epochs = progress.history.at(-1)!.epoch + 2
    const resumed = await jobEnded(app, (await app.call('train.start', { split: 0.5, epochs, resume: true })).jobId, 300_000)
    expect(resumed.state).toBe('completed')
    expect(progressOf(resumed).history.at(-1)!.epoch).toBeGreaterThan(progress.history.at(-1)!.epoch)
    expect(progressOf(resumed).history[0].epoch).toBeGreaterThan(1) // continued, not started over
  }, 400_000)
})
