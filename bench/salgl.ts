/**
 * SALGL Table 4 on our models (issue 9, 3c): held-out classification mAP of the `salgl` head with
 * K = 1 (one global co-occurrence matrix) and other K, next to the detector's own scores and a
 * SARL-GAT head (trained on the same split: `constella train --split 0.7 --seed N --out DIR`),
 * on the same held-out photos, all from the head-input cache (the detector runs only for photos
 * not cached yet). Prints validation and held-out figures, the val2017 part separately, the scene
 * sizes and their entropy, and seconds per run.
 *
 *   npx tsx bench/salgl.ts [--dataset ../shared/data/coco-dev/labels.json] [--scenes 1,6] [--seed 1]
 *     [--compare DIR] [--no-batch-entropy] [--epochs N] [--scene-steps N]   (scene-model steps after k-means; 0 = k-means alone)
 */
import path from 'node:path'
import { loadDataset } from '../src/main/engine/eval/dataset.js'
import { decodeHead, tensor } from '../src/main/engine/head/head-params.js'
import { defaultPackDir } from '../src/main/engine/models/pack.js'
import { buildInputCache } from '../src/main/engine/training/build-input-cache.js'
import { readTrainedHead } from '../src/main/engine/training/head-pack.js'
import { runSalglJob } from '../src/main/engine/training/salgl/salgl-job.js'
import { packHeads } from '../src/main/engine/training/untrained-head.js'
import { machineLine, parseArgs, table } from './support/bench-report.js'

const args = parseArgs(process.argv.slice(2))
const datasetFile = path.resolve(args.get('dataset') ?? path.join(import.meta.dirname, '..', '..', 'shared', 'data', 'coco-dev', 'labels.json'))
const dataset = loadDataset(datasetFile)
const seed = Number(args.get('seed') ?? 1)
const scenes = (args.get('scenes') ?? '1,6').split(',').map(Number)
const packDir = defaultPackDir()
const head = decodeHead(packHeads(packDir).current)
const compareDir = args.get('compare')
const compare = compareDir ? decodeHead(readTrainedHead(compareDir).params) : undefined

console.log(machineLine())
const built = await buildInputCache(dataset.images, { packDir })
console.log(`head-input cache: ${built.cache.photos.length} photos (${built.analysed} analysed now, ${built.seconds.toFixed(0)} s)`)
const rows: string[][] = []
let heldOut = 0
const f = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(1))
for (const K of scenes) {
  const t0 = Date.now()
  const r = await runSalglJob({
    photos: built.cache.photos, classNames: head.header.classNames, classWords: tensor(head, 'classWords'), wordDim: head.header.wordDim,
    featureSource: head.header.featureSource, featureDim: head.header.featureDim, split: 0.7, seed, validation: 0.2, scenes: K, compare,
    ...(args.has('scene-steps') ? { sceneSteps: Number(args.get('scene-steps')) } : {}),
    settings: { batchEntropy: !args.has('no-batch-entropy'), ...(args.has('epochs') ? { maxEpochs: Number(args.get('epochs')) } : {}) },
  })
  const h = r.heldOut!
  heldOut = h.photos
  const val = h.parts.val2017
  rows.push([`K ${K}`, f(r.training.validation.start), f(r.training.validation.best), String(r.training.bestEpoch), f(h.methods.detector.mAP), f(h.methods['sarl-gat']?.mAP), f(h.methods.salgl.mAP),
    f(val?.methods.detector.mAP), f(val?.methods['sarl-gat']?.mAP), f(val?.methods.salgl.mAP), h.scenes.sizes.join('/'), h.scenes.entropy.toFixed(2), ((Date.now() - t0) / 1000).toFixed(0)])
  console.log(`K ${K} done`)
}
console.log(`\nclassification mAP (%), split 0.7 seed ${seed}: ${built.cache.photos.length} photos, ${heldOut} held out; sarl-gat = ${compare?.header.modelVersion ?? '(not given: --compare DIR)'}`)
console.log(table(['head', 'val start', 'val best', 'best ep', 'held det', 'held sarl-gat', 'held salgl', 'val2017 det', 'val2017 sarl-gat', 'val2017 salgl', 'held-out scenes', 'entropy', 's'], rows))
