/**
 * The SARL-GAT head as an ONNX graph (run by onnxruntime) against the TypeScript reference
 * `embedGraph`, on the real default head and the real detector over real coco-dev photos (one of
 * them with a merged multi-class object), and on a head with random (trained-like) dense weights
 * and non-zero attention vectors, so every term of the graph is exercised.
 */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { embedGraph, objectNode, objectWord, unitClassWords, type GraphEmbedding, type GraphInput } from '../../../../src/main/engine/head/graph-embed.js'
import { embedGraphOnEngine } from '../../../../src/main/engine/head/graph-embed-engine.js'
import { buildHeadGraph } from '../../../../src/main/engine/head/head-graph.js'
import { decodeHead, type HeadParams } from '../../../../src/main/engine/head/head-params.js'
import { defaultPackDir, findModel, readManifest, readVerifiedModel } from '../../../../src/main/engine/models/pack.js'
import { analyzePhoto, NODE_THRESHOLD } from '../../../../src/main/engine/analysis/analyze-photo.js'
import { decodePhoto } from '../../../../src/main/engine/pipeline/decode.js'
import { CenterNetDetector } from '../../../../src/main/engine/pipeline/detect.js'
import { cosine, gaussian, seededRandom } from '../../../../src/shared/math/vector.js'
import { COCO_DEV_DIR, cocoDevImages } from '../../../support/coco-images.js'
import { OrtRunner } from '../../../support/ort-runner.js'

const packDir = defaultPackDir()
let head: HeadParams
let trained: HeadParams
let runner: OrtRunner
const inputs: GraphInput[] = []
/** coco-dev 000000114174.jpg: cup 0.47, vase 0.35 and bottle 0.33 on one box, merged to one object. */
let merged: GraphInput

/** The default head with every dense tensor and attention vector replaced by seeded noise. */
function randomised(base: HeadParams): HeadParams {
  const rand = seededRandom(5)
  const tensors = new Map<string, Float32Array>()
  for (const [name, t] of base.tensors) {
    const scale = name === 'classWords' ? 0 : name.startsWith('gat') ? 0.1 : 0.05
    tensors.set(name, scale === 0 ? t : Float32Array.from(t, () => scale * gaussian(rand)))
  }
  return { header: { ...base.header, modelVersion: 'random-test-head' }, tensors }
}

function expectClose(onnx: GraphEmbedding, ts: GraphEmbedding, tol: number): void {
  const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
    expect(a.length).toBe(b.length)
    let d = 0
    for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]))
    return d
  }
  expect(maxDiff(onnx.embedding, ts.embedding)).toBeLessThan(tol)
  expect(maxDiff(onnx.photoNode, ts.photoNode)).toBeLessThan(tol)
  expect(onnx.objectNodes).toHaveLength(ts.objectNodes.length)
  onnx.objectNodes.forEach((h, i) => expect(maxDiff(h, ts.objectNodes[i])).toBeLessThan(tol))
  expect(maxDiff(onnx.adjacency, ts.adjacency)).toBeLessThan(tol)
  expect(maxDiff(onnx.transport!.plan, ts.transport!.plan)).toBeLessThan(tol)
  onnx.attention.forEach((layer, l) => layer.forEach((alpha, k) => expect(maxDiff(alpha, ts.attention[l][k])).toBeLessThan(tol)))
  expect(maxDiff(onnx.labelScores, ts.labelScores)).toBeLessThan(tol)
  expect(onnx.transport!.converged).toBe(true)
  expect(onnx.transport!.marginalError).toBeLessThan(1e-6)
  // the same solver path: sweep counts agree to one check interval
  expect(Math.abs(onnx.transport!.iterations - ts.transport!.iterations)).toBeLessThanOrEqual(5)
}

beforeAll(async () => {
  const manifest = readManifest(packDir)
  head = decodeHead(readVerifiedModel(packDir, findModel(manifest, 'sarl-gat-head')))
  trained = randomised(head)
  const det = findModel(manifest, 'centernet-mobilenetv3')
  runner = new OrtRunner({
    [det.name]: readVerifiedModel(packDir, det),
    'head': buildHeadGraph(head),
    'random-head': buildHeadGraph(trained),
  })
  const detector = new CenterNetDetector(runner, det.name, { scoreThreshold: 0.05 })
  for (const img of cocoDevImages().slice(0, 12)) {
    const photo = await decodePhoto(path.join(COCO_DEV_DIR, 'images', img.file))
    inputs.push((await analyzePhoto({ detector, head }, photo)).graphInput)
  }
  merged = (await analyzePhoto({ detector, head }, await decodePhoto(path.join(COCO_DEV_DIR, 'images', '000000114174.jpg')))).graphInput
  inputs.push(merged)
  // a photo without detections: the whole-photo node alone
  inputs.push({ ...inputs[0], objects: [] })
}, 120_000)
afterAll(() => runner?.dispose())

describe('SARL-GAT head graph (ONNX) vs the TypeScript reference', () => {
  it('matches on real photos with the default head', async () => {
    expect(inputs.some((g) => g.objects.length >= 5)).toBe(true)
    for (const input of inputs) expectClose(await embedGraphOnEngine(runner, 'head', head, input), embedGraph(head, input), 2e-5)
  })

  it('matches on a photo with a merged multi-class object, both fed the label vector of its distribution', async () => {
    const { wordDim, classNames } = head.header
    const classes = (o: GraphInput['objects'][number]) => [...o.evidence].flatMap((e, c) => (e >= NODE_THRESHOLD ? [classNames[c]] : []))
    const i = merged.objects.findIndex((o) => classes(o).length >= 3)
    expect(classes(merged.objects[i]).sort()).toEqual(['bottle', 'cup', 'vase'])
    for (const [model, params] of [['head', head], ['random-head', trained]] as const) {
      const before = runner.calls.length
      expectClose(await embedGraphOnEngine(runner, model, params, merged), embedGraph(params, merged), 2e-5)
      const words = runner.calls[before].feeds.node_words.data as Float32Array
      const row = words.subarray(objectNode(i) * wordDim, (objectNode(i) + 1) * wordDim)
      expect(Array.from(row)).toEqual(Array.from(objectWord(params, merged.objects[i])))
      // not the word of its class alone
      const cls = merged.objects[i].classId
      expect(cosine(row, unitClassWords(params).subarray(cls * wordDim, (cls + 1) * wordDim))).toBeLessThan(0.999)
    }
  })

  it('matches with dense random weights and non-zero attention vectors', async () => {
    for (const input of inputs) {
      const onnx = await embedGraphOnEngine(runner, 'random-head', trained, input)
      const ts = embedGraph(trained, input)
      expectClose(onnx, ts, 2e-5)
      // attention is no longer the row-normalised adjacency: the attention vectors matter
      const n = input.objects.length + 1
      if (n > 2) {
        const rowNorm = Array.from({ length: n * n }, (_, k) => ts.adjacency[k] / ts.adjacency.slice(Math.floor(k / n) * n, Math.floor(k / n) * n + n).reduce((s, v) => s + v, 0))
        expect(Math.max(...onnx.attention[0][0].map((a, k) => Math.abs(a - rowNorm[k])))).toBeGreaterThan(1e-3)
      }
    }
  })
})
