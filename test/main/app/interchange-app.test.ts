/**
 * Import and export through the API as jobs, over two real libraries of the same coco-dev photos:
 * labels corrected in one are exported (COCO JSON, JSONL with label states), imported into the
 * other, and come out the same; reports arrive in the jobs' `detail`, progress in `job.updated`,
 * and an import refreshes the views with `library.changed` ('labels').
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExportReport, ImportReport } from '../../../src/shared/api-contract.js'
import { copyPhotos, jobsDone, startApp, type AppFixture } from './app-fixture.js'
import { jobEnded } from './annotation-support.js'

let a: AppFixture
let b: AppFixture
let photosDir: string

/** Each photo's human label states, by file name. */
async function humanLabels(app: AppFixture): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {}
  for (const card of (await app.call('photos.list', {})).items) {
    const view = await app.call('annotations.get', { photoId: card.id })
    out[card.name] = view.labels.filter((l) => l.human).map((l) => `${l.name}:${l.human!.state}`).sort()
  }
  return out
}

beforeAll(async () => {
  a = await startApp()
  photosDir = path.join(a.root, 'photos')
  copyPhotos(photosDir, 3, 10)
  await a.call('folders.add', { path: photosDir })
  b = await startApp()
  await b.call('folders.add', { path: photosDir })
  await Promise.all([jobsDone(a), jobsDone(b)])
}, 240_000)

afterAll(async () => {
  await b?.cleanup()
  await a?.cleanup()
})

describe('interchange jobs', () => {
  it('exports corrected labels and imports them into another library with the same states', async () => {
    const [first, second] = (await a.call('photos.list', { sort: { key: 'name', order: 'asc' } })).items
    const view = await a.call('annotations.get', { photoId: first.id })
    const model = view.labels.find((l) => l.state === 'positive')!
    await a.call('labels.set', { photoId: first.id, classId: model.classId, state: 'negative' })
    await a.call('labels.set', { photoId: second.id, classId: 2, state: 'positive' })
    await a.call('labels.set', { photoId: second.id, classId: 3, state: 'unknown' })
    await a.call('boxes.add', { photoId: second.id, box: [5, 5, 120, 90], classId: 16 })

    const jsonl = path.join(a.root, 'labels.jsonl')
    const { jobId } = await a.call('interchange.export', { format: 'jsonl', path: jsonl })
    const exported = await jobEnded(a, jobId)
    expect(exported).toMatchObject({ kind: 'export', state: 'completed', error: null, done: 3, total: 3 })
    const report = (exported.detail as { kind: 'export'; report: ExportReport }).report
    expect(report).toMatchObject({ format: 'jsonl', out: jsonl, photos: 3 })
    expect(existsSync(jsonl)).toBe(true)
    expect(a.events.some((m) => m.event === 'job.updated' && m.payload.id === jobId && m.payload.state === 'running')).toBe(true)

    const changed = b.events.length
    const imported = await jobEnded(b, (await b.call('interchange.import', { format: 'jsonl', path: jsonl, negatives: 'none' })).jobId)
    expect(imported).toMatchObject({ kind: 'import', state: 'completed', error: null })
    const got = (imported.detail as { kind: 'import'; report: ImportReport }).report
    expect(got).toMatchObject({ format: 'jsonl', records: 3, matchedPhotos: 3, dryRun: false })
    expect(got.boxesAdded).toBe(1)
    expect(await humanLabels(b)).toEqual(await humanLabels(a))
    const labelsEvent = b.events.slice(changed).find((m) => m.event === 'library.changed' && m.payload.reason === 'labels')
    expect(labelsEvent?.event === 'library.changed' && labelsEvent.payload.photoIds?.length).toBe(2)
    expect((await b.call('edits.history', {}))[0].actor).toBe('import:jsonl')
  })

  it('round-trips COCO JSON positives and boxes, and reports class names the vocabulary lacks', async () => {
    const coco = path.join(a.root, 'labels.coco.json')
    const exported = await jobEnded(a, (await a.call('interchange.export', { format: 'coco', path: coco })).jobId)
    expect(exported.state).toBe('completed')
    const data = JSON.parse(readFileSync(coco, 'utf8')) as { categories: { id: number; name: string }[]; annotations: unknown[] }
    expect(data.annotations.length).toBeGreaterThan(0)
    data.categories.push({ id: 9999, name: 'qzxvbnm' })
    ;(data.annotations as { category_id: number; image_id: number; bbox: number[] }[]).push({ ...(data.annotations[0] as object), category_id: 9999 } as never)
    writeFileSync(coco, JSON.stringify(data))
    const dry = await jobEnded(b, (await b.call('interchange.import', { format: 'coco', path: coco, dryRun: true })).jobId)
    const report = (dry.detail as { kind: 'import'; report: ImportReport }).report
    expect(report).toMatchObject({ dryRun: true, matchedPhotos: expect.any(Number) })
    expect(report.unknownClasses.map((u) => u.name)).toEqual(['qzxvbnm'])
  })

  it('refuses paths that are not there, and fails a job whose file matches no photo', async () => {
    const missing = await a.api.call('interchange.import', { format: 'coco', path: '/nonexistent/labels.json' })
    expect(!missing.ok && missing.error.code).toBe('not-found')
    const other = path.join(a.root, 'other.jsonl')
    writeFileSync(other, `${JSON.stringify({ file: 'not-here.jpg', width: 10, height: 10, labels: [{ name: 'dog', state: 'positive', source: 'human' }] })}\n`)
    const job = await jobEnded(a, (await a.call('interchange.import', { format: 'jsonl', path: other })).jobId)
    expect(job.state).toBe('failed')
    expect(job.error).toMatch(/none of the 1 images/)
  })
})
