/**
 * One object, one node: on real coco-dev photos where CenterNet puts several classes on one box,
 * the analysis makes one object of them (its class distribution kept as evidence and alternatives,
 * its label vector from that distribution), the library stores one object per place, and search
 * explanations never match the same place twice.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { analyzePhoto, NODE_THRESHOLD, objectAlternatives, SAME_PLACE_IOU, type PhotoAnalysisResult } from '../../../../src/main/engine/analysis/analyze-photo.js'
import { objectWord, unitClassWords } from '../../../../src/main/engine/head/graph-embed.js'
import { indexLibrary } from '../../../../src/main/engine/library/indexer.js'
import { EVIDENCE_THRESHOLD, Library } from '../../../../src/main/engine/library/library.js'
import { iou } from '../../../../src/main/engine/pipeline/nms.js'
import { decodePhoto } from '../../../../src/main/engine/pipeline/decode.js'
import { search } from '../../../../src/main/engine/search/search-service.js'
import { METHODS } from '../../../../src/main/engine/store/embedding-methods.js'
import { OBJECT_GROUP_IOU } from '../../../../src/main/engine/store/photo-query-repository.js'
import type { Box, Detection } from '../../../../src/shared/domain.js'
import { cosine } from '../../../../src/shared/math/vector.js'
import { COCO_DEV_DIR } from '../../../support/coco-images.js'

/** cup 0.47, vase 0.35 and bottle 0.33 on one box (IoU 1.00); also potted plant + vase, cake + bowl. */
const CUP_PHOTO = '000000114174.jpg'
/** Photos with several classes on one box (cake + donut, vase + bottle, couch + chair). */
const OTHERS = ['000000284218.jpg', '000000174632.jpg', '000000098304.jpg', '000000435081.jpg']
const image = (file: string) => path.join(COCO_DEV_DIR, 'images', file)
const samePlace = (a: { box: Box; classId: number }, b: { box: Box; classId: number }) => a.classId !== b.classId && iou(a.box, b.box) >= SAME_PLACE_IOU

let lib: Library
let root: string
let cup: PhotoAnalysisResult
let raw: Detection[]

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'constella-one-object-'))
  mkdirSync(path.join(root, 'photos'))
  for (const f of [CUP_PHOTO, ...OTHERS]) copyFileSync(image(f), path.join(root, 'photos', f))
  lib = await Library.open({ dir: path.join(root, 'library') })
  const photo = await decodePhoto(image(CUP_PHOTO))
  raw = (await lib.parts.detector.detect(photo)).detections
  cup = await analyzePhoto(lib.parts, photo)
}, 120_000)
afterAll(async () => {
  await lib?.close()
  if (root) rmSync(root, { recursive: true, force: true })
})

describe('analysis of a photo with several classes on one box', () => {
  it('makes one object of them, led by the best class, with the others as alternatives', () => {
    // what the detector gives: three classes on the cup's box (each one node before the merge)
    const top = raw.filter((d) => d.score >= NODE_THRESHOLD)
    const cupBox = top.find((d) => d.className === 'cup')!
    const onCup = top.filter((d) => iou(d.box, cupBox.box) >= 0.9).map((d) => d.className).sort()
    expect(onCup).toEqual(['bottle', 'cup', 'vase'])
    expect(EVIDENCE_THRESHOLD).toBeLessThan(NODE_THRESHOLD)

    const objects = cup.detections.filter((d) => iou(d.box, cupBox.box) >= SAME_PLACE_IOU)
    expect(objects.map((d) => d.className)).toEqual(['cup'])
    const i = cup.detections.indexOf(objects[0])
    const score = (name: string) => top.find((d) => d.className === name && iou(d.box, cupBox.box) >= 0.9)!.score
    expect(cup.alternatives[i].map((a) => a.className)).toEqual(['vase', 'bottle'])
    expect(cup.alternatives[i].map((a) => a.score)).toEqual([score('vase'), score('bottle')])
    // the stored class evidence is the distribution: the alternatives come back from it
    expect(objectAlternatives(cup.graphInput.objects[i].evidence, objects[0].classId, lib.head.header.classNames)).toEqual(cup.alternatives[i])
    // fewer nodes than detections at tau: no two objects of different classes at one place
    expect(cup.detections.length).toBeLessThan(top.length)
    for (const a of cup.detections) for (const b of cup.detections) expect(samePlace(a, b)).toBe(false)
    expect(cup.graph.objectNodes).toHaveLength(cup.detections.length)
  })

  it("gives the merged object a label vector from its distribution, a single-class object its class's word", () => {
    const { wordDim, classNames } = lib.head.header
    const unit = unitClassWords(lib.head)
    const word = (name: string) => unit.subarray(classNames.indexOf(name) * wordDim, (classNames.indexOf(name) + 1) * wordDim)
    const i = cup.detections.findIndex((d) => d.className === 'cup')
    const w = objectWord(lib.head, cup.graphInput.objects[i])
    // between its classes, nearest its best one
    expect(cosine(w, word('cup'))).toBeLessThan(0.999)
    expect(cosine(w, word('cup'))).toBeGreaterThan(cosine(w, word('vase')))
    expect(cosine(w, word('cup'))).toBeGreaterThan(cosine(w, word('bottle')))
    expect(cosine(w, word('vase'))).toBeGreaterThan(cosine(word('cup'), word('vase')))
    const single = cup.graphInput.objects.findIndex((o) => o.evidence.filter((e) => e > 0).length === 1)
    expect(single).toBeGreaterThanOrEqual(0)
    expect(cosine(objectWord(lib.head, cup.graphInput.objects[single]), word(classNames[cup.detections[single].classId]))).toBeCloseTo(1, 6)
    // with no score anywhere (a drawn box on nothing), the word of its class
    expect(cosine(objectWord(lib.head, { classId: 3, score: 0, evidence: new Float32Array(classNames.length) }), word(classNames[3]))).toBeCloseTo(1, 6)
  })
})

describe('a library of such photos', () => {
  beforeAll(async () => {
    const summary = await indexLibrary(lib, [path.join(root, 'photos')], { concurrency: 2 })
    expect(summary.failed).toEqual([])
  }, 180_000)

  it('stores one object per place, with its class distribution as its class evidence', () => {
    const id = lib.store.photos.findByPath(path.join(root, 'photos', CUP_PHOTO))!.id
    const objects = lib.store.objects.listByPhoto(id)
    expect(objects.map((o) => o.box)).toEqual(cup.detections.map((d) => d.box))
    const stored = objects.find((o) => o.classId === lib.head.header.classNames.indexOf('cup'))!
    const evidence = lib.store.embeddings.get({ kind: 'object', objectId: stored.id }, METHODS.objectEvidence)!.vector
    expect(objectAlternatives(evidence, stored.classId, lib.head.header.classNames).map((a) => a.className)).toEqual(['vase', 'bottle'])
    for (const file of [CUP_PHOTO, ...OTHERS]) {
      const all = lib.store.objects.listByPhoto(lib.store.photos.findByPath(path.join(root, 'photos', file))!.id)
      // the photo view's grouping of same-box objects (IoU >= 0.7) has nothing left to group
      for (const a of all) for (const b of all) {
        expect(samePlace(a, b)).toBe(false)
        if (a.id !== b.id) expect(iou(a.box, b.box)).toBeLessThan(OBJECT_GROUP_IOU)
      }
    }
  })

  it('explains results without matching the same place twice', async () => {
    for (const file of [CUP_PHOTO, OTHERS[0]]) {
      const { query, results } = await search(lib, { kind: 'photo-file', file: image(file) }, { k: 5 })
      expect(results.length).toBeGreaterThanOrEqual(4)
      expect(results.some((r) => r.explanation.matches.length >= 3)).toBe(true)
      for (const r of results) {
        const matched = r.explanation.matches
        for (const a of matched) for (const b of matched) {
          if (a === b) continue
          expect(iou(a.resultObject.box, b.resultObject.box)).toBeLessThan(SAME_PLACE_IOU)
          expect(iou(a.queryObject.box, b.queryObject.box)).toBeLessThan(SAME_PLACE_IOU)
        }
      }
      for (const a of query.objects) for (const b of query.objects) expect(samePlace(a, b)).toBe(false)
    }
  })
})
