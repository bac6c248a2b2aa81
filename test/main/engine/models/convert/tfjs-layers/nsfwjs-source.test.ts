import { describe, expect, it } from 'vitest'
import { parseModelBundle, parseShardBundle, readNsfwjsModel } from '../../../../../../src/main/engine/models/convert/tfjs-layers/nsfwjs-source.js'
import { modelConfigOf } from '../../../../../../src/main/engine/models/convert/tfjs-layers/keras-types.js'
import { WeightStore } from '../../../../../../src/main/engine/models/convert/tfjs-layers/weights.js'
import { NSFWJS_DIR, tf } from './helpers.js'
import { initTfjsWasm } from '../../../../../support/tfjs-wasm.js'

describe('reading the nsfwjs model bundles', () => {
  it('reads both models: Keras topology, weight specs and all shard bytes', async () => {
    const inception = await readNsfwjsModel(NSFWJS_DIR, 'inception_v3')
    const mobilenet = await readNsfwjsModel(NSFWJS_DIR, 'mobilenet_v2')
    expect(modelConfigOf(inception.modelTopology).config.layers).toHaveLength(318)
    expect(modelConfigOf(mobilenet.modelTopology).config.layers).toHaveLength(162)
    expect(inception.weightSpecs).toHaveLength(382)
    expect(mobilenet.weightSpecs).toHaveLength(266)
    // uint8-quantized: one byte per value, shards of 4 MiB (5 full + the rest).
    expect(inception.weightData.byteLength).toBe(inception.weightSpecs.reduce((a, s) => a + s.shape.reduce((p, d) => p * d, 1), 0))
    expect(inception.weightData.byteLength).toBeGreaterThan(5 * 4 * 1024 * 1024)
    expect(mobilenet.weightSpecs.every((s) => s.quantization?.dtype === 'uint8')).toBe(true)
  })

  it('dequantizes every weight bit-for-bit like tf.io.decodeWeights', async () => {
    await initTfjsWasm()
    const { weightSpecs, weightData } = await readNsfwjsModel(NSFWJS_DIR, 'mobilenet_v2')
    const store = new WeightStore(weightSpecs, weightData)
    const buffer = weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength) as ArrayBuffer
    const theirs = tf.io.decodeWeights(buffer, weightSpecs)
    let compared = 0
    for (const spec of weightSpecs) {
      const cut = spec.name.lastIndexOf('/')
      const ours = store.get(spec.name.slice(0, cut), spec.name.slice(cut + 1), spec.shape).data
      const ref = theirs[spec.name].dataSync() as Float32Array
      expect(ours.length).toBe(ref.length)
      const mismatch = ours.findIndex((v, i) => !Object.is(v, ref[i]))
      expect(mismatch, spec.name).toBe(-1)
      compared += ours.length
    }
    tf.dispose(Object.values(theirs))
    expect(compared).toBeGreaterThan(2_500_000)
    // A quantized weight takes at most 256 distinct values between min and min + 255 * scale.
    const k = store.get('Conv1', 'kernel').data
    expect(new Set(k).size).toBeLessThanOrEqual(256)
  })

  it('evaluates model bundles in an empty sandbox and rejects what is not a model', () => {
    expect(parseModelBundle('module.exports = {modelTopology: {a: !0}, weightsManifest: []}').modelTopology).toEqual({ a: true })
    expect(() => parseModelBundle('module.exports = {modelTopology: process.env, weightsManifest: []}')).toThrow(/process is not defined/)
    expect(() => parseModelBundle('module.exports = {a: 1}')).toThrow(/did not export a TF.js model.json/)
  })

  it('extracts shard bytes from the base64 string without running the bundle', () => {
    const bundle = `!function(e){throw new Error('never run')}({1:[function(e,h,n){h.exports="${Buffer.from([0, 1, 254, 255]).toString('base64')}"},{}]})`
    expect(Array.from(parseShardBundle(bundle))).toEqual([0, 1, 254, 255])
    expect(() => parseShardBundle('module.exports = 42', 'x.min.js')).toThrow(/x.min.js: no base64 weight string/)
  })
})
