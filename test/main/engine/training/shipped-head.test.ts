/**
 * The trained default head shipped in resources/heads: the pack builder builds it into the pack
 * (when it fits the pack's feature map and class words), and retraining from its recorded recipe
 * on coco-dev reaches the recorded figures within the recorded tolerance. The retraining runs the
 * detector over coco-dev once into a fresh cache (about 40-90 s on 2 cores) and trains (about 20 s).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadDataset } from '../../../../src/main/engine/eval/dataset.js'
import { convertDefaultHead, projectRoot, SHIPPED_HEAD_FILE } from '../../../../src/main/engine/head/default-head-entry.js'
import { embedGraph } from '../../../../src/main/engine/head/graph-embed.js'
import { decodeHead } from '../../../../src/main/engine/head/head-params.js'
import type { ConvertedModel } from '../../../../src/main/engine/models/manifest.js'
import { defaultPackDir, findModel, readManifest, readVerifiedModel } from '../../../../src/main/engine/models/pack.js'
import { readInputCache } from '../../../../src/main/engine/training/input-cache.js'
import { trainFromDataset } from '../../../../src/main/engine/training/train-from-dataset.js'
import { COCO_DEV_DIR } from '../../../support/coco-images.js'

const shippedFile = path.join(projectRoot(), SHIPPED_HEAD_FILE)
const record = JSON.parse(readFileSync(shippedFile.replace(/\.bin$/, '.json'), 'utf8')) as {
  recipe: string; bestEpoch: number; residual: { chosen: number }; validation: { mAP: number; ndcg: number; clsMAP: number }
  tolerance: { validation: number; embeddingCosine: number }
}
const work = mkdtempSync(path.join(tmpdir(), 'constella-recipe-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('the shipped trained head', () => {
  it('is the head the pack builder builds', async () => {
    const packDir = defaultPackDir()
    const manifest = readManifest(packDir)
    const built = new Map<string, ConvertedModel>(['glove-6b-100d', 'centernet-mobilenetv3'].map((name) => {
      const entry = findModel(manifest, name)
      return [name, { entry, bytes: readVerifiedModel(packDir, entry) }]
    }))
    const head = await convertDefaultHead(built)
    expect(Buffer.compare(Buffer.from(head.bytes), readFileSync(shippedFile))).toBe(0)
    expect(head.entry.source).toContain(decodeHead(head.bytes).header.modelVersion)
  })

  it('is reproduced by its recipe within the recorded tolerance', async () => {
    expect(record.recipe).toBe('constella train --dataset ../shared/data/coco-dev/labels.json --split 1.0 --seed 1 --out DIR')
    const labels = path.join(COCO_DEV_DIR, 'labels.json')
    const dataset = loadDataset(labels)
    const out = path.join(work, 'trained')
    const metrics = await trainFromDataset({
      datasetFile: labels, classes: dataset.classes, images: dataset.images, outDir: out, split: 1, seed: 1, cacheDir: path.join(work, 'cache'),
    })
    expect(metrics.residual.chosen).toBe(record.residual.chosen)
    expect(metrics.bestEpoch).toBe(record.bestEpoch)
    const best = metrics.history.find((e) => e.epoch === metrics.bestEpoch)!.validation
    expect(Math.abs(best.mAP - record.validation.mAP)).toBeLessThanOrEqual(record.tolerance.validation)
    expect(Math.abs(best.ndcg - record.validation.ndcg)).toBeLessThanOrEqual(record.tolerance.validation)
    expect(Math.abs(best.clsMAP - record.validation.clsMAP)).toBeLessThanOrEqual(record.tolerance.validation)
    // the retrained head embeds the photos as the shipped one does
    const retrained = decodeHead(readFileSync(path.join(out, 'sarl-gat-head.bin')))
    const shipped = decodeHead(readFileSync(shippedFile))
    const photos = readInputCache(metrics.cache.file).photos.filter((_, i) => i % 8 === 0)
    for (const p of photos) {
      const a = embedGraph(retrained, p.input).embedding
      const b = embedGraph(shipped, p.input).embedding
      expect(a.reduce((s, v, k) => s + v * b[k], 0)).toBeGreaterThanOrEqual(record.tolerance.embeddingCosine)
    }
  }, 600_000)
})
