import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { objectNode, PHOTO_NODE } from '../../../../src/main/engine/head/graph-embed.js'
import { decodeHead, encodeHead, type HeadParams } from '../../../../src/main/engine/head/head-params.js'
import { defaultPackDir, findModel, readManifest, readVerifiedModel } from '../../../../src/main/engine/models/pack.js'
import { analyzePhoto, type PhotoAnalysisResult } from '../../../../src/main/engine/analysis/analyze-photo.js'
import { decodePhoto } from '../../../../src/main/engine/pipeline/decode.js'
import { CenterNetDetector } from '../../../../src/main/engine/pipeline/detect.js'
import { OrtRunner } from '../../../support/ort-runner.js'

const IMAGES = path.resolve(__dirname, '../../../../../shared/data/coco-dev/images')
const packDir = defaultPackDir()
let head: HeadParams
let runner: OrtRunner
let detector: CenterNetDetector

beforeAll(() => {
  const manifest = readManifest(packDir)
  // a Node Buffer, as the app reads it: the decoder must not assume a zero byte offset
  head = decodeHead(readVerifiedModel(packDir, findModel(manifest, 'sarl-gat-head')))
  const det = findModel(manifest, 'centernet-mobilenetv3')
  runner = new OrtRunner({ [det.name]: readVerifiedModel(packDir, det) })
  detector = new CenterNetDetector(runner, det.name, { scoreThreshold: 0.05 })
})
afterAll(() => runner?.dispose())

function expectGraphInvariants(r: PhotoAnalysisResult): void {
  const n = r.detections.length + 1
  const { graph } = r
  expect(Math.hypot(...graph.embedding)).toBeCloseTo(1, 5)
  expect(graph.objectNodes).toHaveLength(n - 1)
  for (const h of [graph.photoNode, ...graph.objectNodes]) expect(Math.hypot(...h)).toBeCloseTo(1, 5)
  expect(graph.attention).toHaveLength(2)
  for (const layer of graph.attention) {
    expect(layer).toHaveLength(8)
    for (const alpha of layer) for (let i = 0; i < n; i++) {
      expect(alpha.slice(i * n, (i + 1) * n).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5)
    }
  }
  for (let i = 0; i < n; i++) {
    expect(graph.adjacency[i * n + i]).toBe(1)
    for (let j = 0; j < n; j++) {
      expect(graph.adjacency[i * n + j]).toBeCloseTo(graph.adjacency[j * n + i], 12)
      expect(graph.adjacency[i * n + j]).toBeGreaterThanOrEqual(0)
      expect(graph.adjacency[i * n + j]).toBeLessThanOrEqual(1 + 1e-9)
    }
  }
  expect(graph.transport?.converged).toBe(true)
  expect(graph.transport!.marginalError).toBeLessThan(head.header.ot.tolerance)
}

describe('SARL-GAT graph embedding on real photos', () => {
  it('embeds a kitchen photo: invariants hold and the classifier ranks its objects first', async () => {
    const photo = await decodePhoto(path.join(IMAGES, '000000000802.jpg'))
    const r = await analyzePhoto({ detector, head }, photo)
    expect(r.detections.map((d) => d.className).sort()).toEqual(['oven', 'refrigerator'])
    expectGraphInvariants(r)
    const top = [...r.graph.labelScores].map((s, c) => [s, head.header.classNames[c]] as const).sort((a, b) => b[0] - a[0]).slice(0, 3).map((t) => t[1])
    expect(top).toContain('refrigerator')
    expect(top).toContain('oven')
    // the whole-photo node sends label mass to both appliances' labels, so OT links it to each
    // of them more strongly than the two objects (distinct labels) are linked to each other
    const a = (i: number, j: number) => r.graph.adjacency[i * 3 + j]
    const [first, second] = [objectNode(0), objectNode(1)]
    expect(a(PHOTO_NODE, first)).toBeGreaterThan(a(first, second))
    expect(a(PHOTO_NODE, second)).toBeGreaterThan(a(first, second))
  })

  it('links same-class objects more strongly than different-class ones', async () => {
    const photo = await decodePhoto(path.join(IMAGES, '000000000139.jpg'))
    const r = await analyzePhoto({ detector, head }, photo)
    expectGraphInvariants(r)
    const n = r.detections.length + 1
    const node = (cls: string) => objectNode(r.detections.findIndex((d) => d.className === cls))
    const chairs = r.detections.flatMap((d, i) => (d.className === 'chair' ? [objectNode(i)] : []))
    expect(chairs.length).toBeGreaterThanOrEqual(2)
    expect(r.graph.adjacency[chairs[0] * n + chairs[1]]).toBeGreaterThan(r.graph.adjacency[chairs[0] * n + node('tv')])
  })

  it('gives a photo without detections a finite unit embedding from the whole-photo node', async () => {
    const width = 320
    const height = 240
    const rgb = new Uint8Array(width * height * 3).fill(128)
    const r = await analyzePhoto({ detector, head }, { rgb, width, height })
    expect(r.detections).toHaveLength(0)
    expect(r.graph.objectNodes).toHaveLength(0)
    expect(r.graph.adjacency).toHaveLength(1)
    expect(r.graph.embedding.every(Number.isFinite)).toBe(true)
    expect(Math.hypot(...r.graph.embedding)).toBeCloseTo(1, 5)
  })
})

describe('head parameter file', () => {
  it('round-trips tensors and reads from an unaligned buffer', () => {
    const bytes = encodeHead({ ...head.header }, { a: { shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) } })
    const shifted = new Uint8Array(bytes.length + 3)
    shifted.set(bytes, 3)
    const decoded = decodeHead(shifted.subarray(3))
    expect(Array.from(decoded.tensors.get('a')!)).toEqual([1, 2, 3, 4, 5, 6])
  })

  it('reports a truncated or foreign file by name', () => {
    const file = path.join(packDir, 'sarl-gat-head.bin')
    const bytes = readFileSync(file)
    expect(() => decodeHead(bytes.subarray(0, bytes.length - 1000), file)).toThrow(/sarl-gat-head.bin: tensor .* \(truncated\)/)
    expect(() => decodeHead(new TextEncoder().encode('not a head at all'), file)).toThrow(/not a Constella head file/)
  })
})
