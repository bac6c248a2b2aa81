/**
 * Chooses the SARL-GAT feature map and the default head's knobs by measurement on coco-dev:
 * for every candidate map (CenterNet's own stride-32 and FPN maps, InceptionV3 mixed2/mixed5/
 * mixed10) it prints retrieval mAP / NDCG@10 of the graph embedding and the extra extraction
 * cost per photo, then sweeps the visual/word weights of eq. 2 for the best map.
 *
 *   npx tsx bench/embedding-choices.ts [--images N] [--split val2017|all]
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import v8 from 'node:v8'
import { loadDataset } from '../src/main/engine/eval/dataset.js'
import { buildDefaultHead } from '../src/main/engine/head/default-head.js'
import { decodeHead, type HeadParams } from '../src/main/engine/head/head-params.js'
import { embedGraph, type GraphInput } from '../src/main/engine/head/graph-embed.js'
import { defaultPackDir, findModel, readManifest } from '../src/main/engine/models/pack.js'
import { objectEvidence, MAX_OBJECTS } from '../src/main/engine/analysis/analyze-photo.js'
import { BackboneExtractor } from '../src/main/engine/pipeline/backbone.js'
import { decodePhoto } from '../src/main/engine/pipeline/decode.js'
import { CenterNetDetector } from '../src/main/engine/pipeline/detect.js'
import { objectFeatures, toFeatureMap, type FeatureGeometry } from '../src/main/engine/pipeline/features.js'
import { WordVectors } from '../src/main/engine/pipeline/label-vectors.js'
import { InferenceEngine } from '../src/main/engine/worker/inference-client.js'
import { COCO_CLASSES } from '../src/shared/class-names.js'
import { rankByCosine, retrievalMetrics } from '../src/shared/metrics/retrieval.js'
import { classificationMetrics } from '../src/shared/metrics/classification.js'
import { l2normalize } from '../src/shared/math/vector.js'
import { parseArgs, table } from './support/bench-report.js'

const SOURCES = [
  'centernet-mobilenetv3:features_s32', 'centernet-mobilenetv3:features_fpn',
  'inception-v3:mixed2', 'inception-v3:mixed5', 'inception-v3:mixed10',
]

const args = parseArgs(process.argv.slice(2))
const split = args.get('split') ?? 'all'
const dataset = loadDataset(path.resolve(import.meta.dirname, '../../shared/data/coco-dev/labels.json'))
let images = dataset.images.filter((i) => split === 'all' || i.split === split)
images = images.slice(0, Number(args.get('images') ?? images.length))
const packDir = defaultPackDir()
const manifest = readManifest(packDir)
const words = WordVectors.load(path.join(packDir, findModel(manifest, 'glove-6b-100d').file))
const classWords = COCO_CLASSES.map((n) => words.vector(n))
const cacheFile = path.resolve(import.meta.dirname, '../.cache', `embedding-choices-${split}-${images.length}.v8`)
let inputs: Map<string, GraphInput[]>
let histograms: Float32Array[]
let detectMs = 0
let backboneMs = 0
if (existsSync(cacheFile) && !args.has('fresh')) {
  ;({ inputs, histograms, detectMs, backboneMs } = v8.deserialize(readFileSync(cacheFile)))
  console.log(`(features from ${cacheFile}; --fresh re-extracts)`)
} else {
  ;({ inputs, histograms, detectMs, backboneMs } = await extract())
  mkdirSync(path.dirname(cacheFile), { recursive: true })
  writeFileSync(cacheFile, v8.serialize({ inputs, histograms, detectMs, backboneMs }))
}

async function extract() {
  const engine = new InferenceEngine({ packDir })
  const detector = new CenterNetDetector(engine, 'centernet-mobilenetv3', { scoreThreshold: 0.05 })
  const inception = new BackboneExtractor(engine, 'inception-v3', findModel(manifest, 'inception-v3').preprocessing)
  const inputs = new Map<string, GraphInput[]>(SOURCES.map((s) => [s, []]))
  const histograms: Float32Array[] = []
  let detectMs = 0
  let backboneMs = 0
  for (const img of images) {
    const photo = await decodePhoto(img.path)
    let t = performance.now()
    const det = await detector.detect(photo, { fetchFeatures: ['features_s32', 'features_fpn'] })
    detectMs += performance.now() - t
    t = performance.now()
    const bb = await inception.extract(photo, ['mixed2', 'mixed5', 'mixed10'])
    backboneMs += performance.now() - t
    const classScores = new Float32Array(80)
    for (const d of det.detections) classScores[d.classId] = Math.max(classScores[d.classId], d.score)
    histograms.push(l2normalize(classScores))
    const nodes = det.detections.filter((d) => d.score >= 0.25).sort((a, b) => b.score - a.score).slice(0, MAX_OBJECTS)
    const evidence = objectEvidence(nodes, det.detections, 80)
    for (const source of SOURCES) {
      const [model, output] = source.split(':')
      const tensor = model === 'inception-v3' ? bb[output] : det.features![output]
      const geometry: FeatureGeometry = model === 'inception-v3'
        ? { kind: 'resize', photoWidth: photo.width, photoHeight: photo.height }
        : { kind: 'letterbox', transform: det.inputTransform, inputSize: 512 }
      const f = objectFeatures(toFeatureMap(tensor, source), nodes.map((d) => d.box), geometry)
      inputs.get(source)!.push({
        photoFeature: f.photo, photoEvidence: classScores,
        objects: nodes.map((d, i) => ({ feature: f.objects[i], classId: d.classId, score: d.score, evidence: evidence[i] })),
      })
    }
  }
  await engine.dispose()
    return { inputs, histograms, detectMs, backboneMs }
}
const labels = images.map((i) => i.labels)
function measure(head: HeadParams, graphInputs: GraphInput[]) {
  const t = performance.now()
  const vectors = graphInputs.map((g) => embedGraph(head, g).embedding)
  const headMs = (performance.now() - t) / graphInputs.length
  return { ...retrievalMetrics(rankByCosine(vectors), labels), headMs }
}
const head = (source: string, visualWeight?: number, wordWeight?: number, centerWords?: boolean, classifierThreshold?: number, otEpsilon?: number, gatActivation?: 'elu' | 'identity') => decodeHead(buildDefaultHead({
  featureDim: inputs.get(source)![0].photoFeature.length, featureSource: source, classNames: [...COCO_CLASSES], classWords, visualWeight, wordWeight, centerWords, classifierThreshold, otEpsilon, gatActivation,
}))
const n = images.length
console.log(`${n} images (${split}); detector ${(detectMs / n).toFixed(0)} ms/photo (maps come free with detection), InceptionV3 ${(backboneMs / n).toFixed(0)} ms/photo extra\n`)
const hist = retrievalMetrics(rankByCosine(histograms), labels)
console.log(`baseline label-histogram: mAP ${hist.mAP.toFixed(1)}  NDCG@10 ${hist['NDCG@10'].toFixed(1)}\n`)
const rows = SOURCES.map((s) => {
  const m = measure(head(s), inputs.get(s)!)
  const extra = s.startsWith('inception') ? backboneMs / n : 0
  return [s, inputs.get(s)![0].photoFeature.length, m.mAP.toFixed(1), m['P@10'].toFixed(1), m['NDCG@10'].toFixed(1), extra.toFixed(0), m.headMs.toFixed(2)]
})
console.log(table(['feature map', 'C', 'ret mAP', 'P@10', 'NDCG@10', 'extra ms/photo', 'head ms'], rows))
const best = String(rows.slice().sort((a, b) => Number(b[4]) - Number(a[4]))[0][0])
console.log(`\nsweep of eq. 2 weights on ${best} (visual, word):`)
const sweep: (string | number)[][] = []
for (const center of [true, false]) for (const vw of [0, 0.25, 0.5, 1]) for (const eps of [0.05, 0.25]) for (const act of ['elu', 'identity'] as const) {
  const m = measure(head(best, vw, 1, center, undefined, eps, act), inputs.get(best)!)
  sweep.push([`${vw}`, center ? 'centred' : 'raw', `${eps}`, act, m.mAP.toFixed(1), m['P@10'].toFixed(1), m['NDCG@10'].toFixed(1)])
}
console.log(table(['visual', 'words', 'epsilon', 'GAT act', 'ret mAP', 'P@10', 'NDCG@10'], sweep))
console.log('\nclassifier threshold (cos in the word half, scale 20) on the default weights:')
const cls: (string | number)[][] = []
for (const th of [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]) {
  const h = head(best, undefined, undefined, undefined, th)
  const m = classificationMetrics(inputs.get(best)!.map((g) => embedGraph(h, g).labelScores), labels, 80)
  cls.push([th.toFixed(1), m.mAP.toFixed(1), m.CP.toFixed(1), m.CR.toFixed(1), m.CF1.toFixed(1), m.OP.toFixed(1), m.OR.toFixed(1), m.OF1.toFixed(1)])
}
console.log(table(['threshold', 'mAP', 'CP', 'CR', 'CF1', 'OP', 'OR', 'OF1'], cls))
