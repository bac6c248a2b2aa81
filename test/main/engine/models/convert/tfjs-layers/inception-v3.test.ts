import { beforeAll, describe, expect, it } from 'vitest'
import * as ort from 'onnxruntime-node'
import type { ConvertedModel } from '../../../../../../src/main/engine/models/manifest.js'
import { convertInceptionV3, INCEPTION_V3_OUTPUTS, readNsfwjsModel } from '../../../../../../src/main/engine/models/convert/tfjs-layers/index.js'
import { NSFWJS_DIR, layerOutputs, loadReference, measureParity, photoPaths, photoTensor, runOnnx, type tf } from './helpers.js'

const SHAPE = [1, 299, 299, 3]

describe('convertInceptionV3 (nsfwjs InceptionV3 -> ONNX)', () => {
  let converted: ConvertedModel
  let session: ort.InferenceSession
  let reference: tf.LayersModel

  beforeAll(async () => {
    converted = await convertInceptionV3(NSFWJS_DIR)
    session = await ort.InferenceSession.create(converted.bytes)
    const full = await loadReference(await readNsfwjsModel(NSFWJS_DIR, 'inception_v3'))
    reference = layerOutputs(full, INCEPTION_V3_OUTPUTS.map((o) => o.layer))
  })

  it('describes the model with the agreed names, shapes and preprocessing', () => {
    const { entry } = converted
    expect(entry).toMatchObject({ name: 'inception-v3', role: 'backbone', file: 'inception-v3.onnx', source: 'nsfwjs@4.4.0' })
    expect(entry.inputs).toEqual([expect.objectContaining({ name: 'images', shape: SHAPE, dtype: 'float32' })])
    expect(entry.outputs.map((o) => [o.name, o.shape])).toEqual([
      ['mixed2', [1, 288, 35, 35]],
      ['mixed5', [1, 768, 17, 17]],
      ['mixed10', [1, 2048, 8, 8]],
      ['pooled', [1, 2048]],
      ['probs', [1, 5]],
    ])
    expect(entry.preprocessing).toMatchObject({ size: 299, layout: 'NHWC', colour: 'RGB', scale: '0..1', resize: 'bilinear' })
    expect(entry.extra?.kerasNames).toEqual({ mixed2: 'mixed2', mixed5: 'mixed5', mixed10: 'mixed10', pooled: 'flatten_1', probs: 'dense_3' })
    expect(entry.extra?.outputsFrozen).toEqual({ mixed2: true, mixed5: true, mixed10: false, pooled: false, probs: false })
    expect(entry.description).toMatch(/InceptionV3.*up to and including mixed5.*conv2d_56/)
    expect(session.inputNames).toEqual(['images'])
    expect(session.outputNames).toEqual(['mixed2', 'mixed5', 'mixed10', 'pooled', 'probs'])
  })

  it('matches the TF.js layers model on 3 real photos (every exposed output)', async () => {
    const { report, last } = await measureParity(session, reference, INCEPTION_V3_OUTPUTS, photoPaths(3), 299)
    console.log('inception-v3 parity vs tfjs-wasm over 3 photos:', JSON.stringify(report))
    for (const o of converted.entry.outputs) expect(last[o.name].shape).toEqual(o.shape)
    for (const [name, w] of Object.entries(report)) {
      expect(w.maxAbs, `${name} max abs diff (max |ref| ${w.maxRef})`).toBeLessThanOrEqual(1e-3)
    }
    // The photos must light the network up: a broken input path gives near-constant maps.
    expect(report.mixed10.maxRef).toBeGreaterThan(0.5)
    expect(Array.from(last.probs.data).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5)
  })

  it('pooled is the global average pool of mixed10', async () => {
    const x = await photoTensor(photoPaths(1, 3)[0], 299)
    const out = await runOnnx(session, x, SHAPE)
    const map = out.mixed10.data
    let worst = 0
    for (let c = 0; c < 2048; c++) {
      let sum = 0
      for (let k = 0; k < 64; k++) sum += map[c * 64 + k]
      worst = Math.max(worst, Math.abs(sum / 64 - out.pooled.data[c]))
    }
    expect(worst).toBeLessThan(1e-5)
  })
})
