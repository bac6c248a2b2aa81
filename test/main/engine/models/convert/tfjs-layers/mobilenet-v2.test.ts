import { beforeAll, describe, expect, it } from 'vitest'
import * as ort from 'onnxruntime-node'
import type { ConvertedModel } from '../../../../../../src/main/engine/models/manifest.js'
import { convertMobileNetV2, MOBILENET_V2_OUTPUTS, readNsfwjsModel } from '../../../../../../src/main/engine/models/convert/tfjs-layers/index.js'
import { NSFWJS_DIR, layerOutputs, loadReference, measureParity, photoPaths, photoTensor, runOnnx, runReference, type tf } from './helpers.js'

describe('convertMobileNetV2 (nsfwjs MobileNetV2 -> ONNX)', () => {
  let converted: ConvertedModel
  let session: ort.InferenceSession
  let reference: tf.LayersModel
  let pooledSource: tf.LayersModel

  beforeAll(async () => {
    converted = await convertMobileNetV2(NSFWJS_DIR)
    session = await ort.InferenceSession.create(converted.bytes)
    const full = await loadReference(await readNsfwjsModel(NSFWJS_DIR, 'mobilenet_v2'))
    reference = layerOutputs(full, MOBILENET_V2_OUTPUTS.map((o) => o.layer))
    pooledSource = layerOutputs(full, ['out_relu'])
  })

  it('describes the model with the agreed names, shapes and preprocessing', () => {
    const { entry } = converted
    expect(entry).toMatchObject({ name: 'mobilenet-v2', role: 'backbone', file: 'mobilenet-v2.onnx', source: 'nsfwjs@4.4.0' })
    expect(entry.inputs).toEqual([expect.objectContaining({ name: 'images', shape: [1, 224, 224, 3], dtype: 'float32' })])
    expect(entry.outputs.map((o) => [o.name, o.shape])).toEqual([
      ['block_10', [1, 96, 14, 14]],
      ['pooled', [1, 1280]],
      ['probs', [1, 5]],
    ])
    expect(entry.preprocessing).toMatchObject({ size: 224, layout: 'NHWC', colour: 'RGB', scale: '0..1', resize: 'bilinear' })
    expect(entry.extra?.kerasNames).toEqual({ block_10: 'block_10_project_BN', pooled: 'flatten_1', probs: 'dense_3' })
    expect(entry.extra?.outputsFrozen).toEqual({ block_10: true, pooled: false, probs: false })
    expect(entry.extra?.firstTrainableLayer).toBe('block_11_expand')
    expect(session.outputNames).toEqual(['block_10', 'pooled', 'probs'])
  })

  it('matches the TF.js layers model on 3 real photos (every exposed output)', async () => {
    const { report, last } = await measureParity(session, reference, MOBILENET_V2_OUTPUTS, photoPaths(3), 224)
    console.log('mobilenet-v2 parity vs tfjs-wasm over 3 photos:', JSON.stringify(report))
    for (const o of converted.entry.outputs) expect(last[o.name].shape).toEqual(o.shape)
    for (const [name, w] of Object.entries(report)) {
      expect(w.maxAbs, `${name} max abs diff (max |ref| ${w.maxRef})`).toBeLessThanOrEqual(1e-3)
    }
    expect(report.block_10.maxRef).toBeGreaterThan(1)
    expect(Array.from(last.probs.data).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5)
  })

  it('pooled is the global average pool of the last 7x7x1280 feature map (out_relu)', async () => {
    const x = await photoTensor(photoPaths(1, 3)[0], 224)
    const ours = await runOnnx(session, x, [1, 224, 224, 3])
    const [map] = runReference(pooledSource, x, [1, 224, 224, 3])
    expect(map.shape).toEqual([1, 7, 7, 1280])
    let worst = 0
    for (let c = 0; c < 1280; c++) {
      let sum = 0
      for (let k = 0; k < 49; k++) sum += map.data[k * 1280 + c]
      worst = Math.max(worst, Math.abs(sum / 49 - ours.pooled.data[c]))
    }
    expect(worst).toBeLessThan(1e-4)
  })
})
