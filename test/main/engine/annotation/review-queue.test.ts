/**
 * The review queue on a library indexed by the real engine (detector and head on 6 coco-dev
 * photos): by model uncertainty over undecided labels, by model-vs-label disagreement once the
 * ground truth is imported, paged by cursor, without reviewed photos unless asked.
 */
import { copyFileSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AnnotationService } from '../../../../src/main/engine/annotation/annotation-service.js'
import type { ReviewQueueOptions } from '../../../../src/main/engine/annotation/annotation-reads.js'
import { importGroundTruth } from '../../../../src/main/engine/interchange/import-ground-truth.js'
import { indexLibrary } from '../../../../src/main/engine/library/indexer.js'
import { Library } from '../../../../src/main/engine/library/library.js'
import { COCO_DEV_DIR } from '../../../support/coco-images.js'
import { cocoFiles, tempFolder } from '../library/helpers.js'

const temp = tempFolder('constella-review-')
let lib: Library
let svc: AnnotationService

beforeAll(async () => {
  const photos = path.join(temp.dir, 'photos')
  mkdirSync(photos)
  for (const f of cocoFiles(6, 40)) copyFileSync(f, path.join(photos, path.basename(f)))
  lib = await Library.open({ dir: path.join(temp.dir, 'library') })
  const s = await indexLibrary(lib, [photos])
  expect(s.indexed).toBe(6)
  svc = new AnnotationService(lib.store.db, { classNames: lib.head.header.classNames })
}, 300_000)

afterAll(async () => {
  await lib?.close()
  temp.cleanup()
})

/** The whole queue, walked a page of `limit` at a time. */
function walk(options: Omit<ReviewQueueOptions, 'cursor'>): { photoId: number; score: number; classId: number }[] {
  const out: { photoId: number; score: number; classId: number }[] = []
  let page = svc.reviewQueue(options)
  for (;;) {
    out.push(...page.items.map(({ photoId, score, classId }) => ({ photoId, score, classId })))
    if (!page.next) return out
    page = svc.reviewQueue({ ...options, cursor: page.next })
  }
}

/** The queue computed here from the label rows: per photo the best score over `score(row)`, best first. */
function expected(score: (r: { model: number | null; human: string | null }) => number | null): { photoId: number; score: number }[] {
  const rows = lib.store.db.prepare(`SELECT p.id AS photoId, c.class_id AS classId,
      (SELECT confidence FROM labels WHERE photo_id = p.id AND class_id = c.class_id AND source = 'model') AS model,
      (SELECT state FROM labels WHERE photo_id = p.id AND class_id = c.class_id AND source = 'human') AS human
    FROM photos p JOIN (SELECT DISTINCT photo_id, class_id FROM labels) c ON c.photo_id = p.id WHERE p.reviewed_at IS NULL`).all() as
    { photoId: number; classId: number; model: number | null; human: string | null }[]
  const best = new Map<number, number>()
  for (const r of rows) {
    const s = score(r)
    if (s !== null && s > 0) best.set(r.photoId, Math.max(best.get(r.photoId) ?? 0, s))
  }
  return [...best].map(([photoId, s]) => ({ photoId, score: s })).sort((a, b) => b.score - a.score || a.photoId - b.photoId)
}

const close = (a: { photoId: number; score: number }[], b: { photoId: number; score: number }[]) => {
  expect(a.map((x) => x.photoId)).toEqual(b.map((x) => x.photoId))
  a.forEach((x, i) => expect(x.score).toBeCloseTo(b[i].score, 9))
}

describe('review queue', () => {
  it('orders photos by the model label nearest to a coin toss, over the classes no person decided', () => {
    const queue = walk({ order: 'uncertainty', limit: 2 })
    expect(queue.length).toBeGreaterThan(2)
    close(queue, expected((r) => (r.human === null && r.model !== null ? 1 - Math.abs(2 * r.model - 1) : null)))
    // deciding the label that put the first photo there moves it down (or out)
    const top = queue[0]
    svc.acceptLabel({ photoId: top.photoId, classId: top.classId })
    const after = walk({ order: 'uncertainty', limit: 50 })
    expect(after.find((q) => q.photoId === top.photoId)?.score ?? 0).toBeLessThanOrEqual(top.score)
    expect(after.some((q) => q.photoId === top.photoId && q.classId === top.classId)).toBe(false)
    // a reviewed photo leaves the queue, unless asked for
    svc.markReviewed({ photoIds: [queue[1].photoId] })
    expect(walk({ order: 'uncertainty' }).some((q) => q.photoId === queue[1].photoId)).toBe(false)
    expect(walk({ order: 'uncertainty', includeReviewed: true }).some((q) => q.photoId === queue[1].photoId)).toBe(true)
    svc.markReviewed({ photoIds: [queue[1].photoId], reviewed: false })
  })

  it('orders photos by how far the model is from the ground truth', async () => {
    const imported = await importGroundTruth(svc, { format: 'coco', input: path.join(COCO_DEV_DIR, 'labels.json') })
    expect(imported.matchedPhotos).toBe(6)
    const queue = walk({ order: 'disagreement', limit: 4 })
    close(queue, expected((r) => (r.human === 'positive' ? 1 - (r.model ?? 0) : r.human === 'negative' ? r.model ?? 0 : null)))
    const first = svc.reviewQueue({ order: 'disagreement', limit: 1 }).items[0]
    expect(first).toMatchObject({ className: expect.any(String), humanState: expect.stringMatching(/positive|negative/) })
    console.info('disagreement queue:', JSON.stringify(svc.reviewQueue({ order: 'disagreement', limit: 6 }).items.map((i) =>
      `${path.basename(i.path)} ${i.className} human ${i.humanState} model ${i.modelConfidence?.toFixed(2) ?? '-'} -> ${i.score.toFixed(2)}`)))
  })
})
