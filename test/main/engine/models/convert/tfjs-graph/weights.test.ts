import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { installedPackageDir } from '../../../../../../src/main/engine/models/convert/tfjs-graph/package-dir.js'
import { decodeWeightGroup, loadGraphModel } from '../../../../../../src/main/engine/models/convert/tfjs-graph/weights.js'
import { initTfjsWasm, tf } from '../../../../../support/tfjs-wasm.js'

const humanDir = installedPackageDir('@vladmandic/human')
const modelJson = path.join(humanDir, 'models', 'centernet.json')

describe('TF.js graph model weights', () => {
  it('decodes every CenterNet weight exactly as TF.js itself does', async () => {
    await initTfjsWasm()
    const model = loadGraphModel(modelJson)
    const specs = model.json.weightsManifest.flatMap((g) => g.weights)
    expect(model.weights.size).toBe(specs.length)
    expect(specs.filter((s) => s.quantization?.dtype === 'float16').length).toBeGreaterThan(200)
    const bin = readFileSync(path.join(humanDir, 'models', 'centernet.bin'))
    const reference = tf.io.decodeWeights(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength), specs as tf.io.WeightsManifestEntry[])
    let compared = 0
    for (const spec of specs) {
      const ours = model.weights.get(spec.name)!
      const theirs = reference[spec.name]
      expect(ours.shape, spec.name).toEqual(theirs.shape)
      expect(ours.dtype, spec.name).toBe(theirs.dtype)
      const a = ours.data
      const b = theirs.dataSync()
      for (let k = 0; k < a.length; k++) {
        if (a[k] !== b[k]) throw new Error(`${spec.name}[${k}]: ${a[k]} != ${b[k]}`)
      }
      compared += a.length
    }
    tf.dispose(Object.values(reference))
    expect(compared).toBeGreaterThan(2_000_000)
    // Values the decoder of CenterNet relies on.
    expect(Array.from(model.weights.get('tower_0/TopKV2/k')!.data)).toEqual([100])
    expect(Array.from(model.weights.get('tower_0/strided_slice_7')!.data)).toEqual([80])
    expect(model.weights.get('tower_0/MobilenetV3/Conv/hard_swish/mul_1/y')!.data[0]).toBe(0.1666259765625)
  })

  it('rejects weight data that does not match the manifest', () => {
    const model = loadGraphModel(modelJson)
    const spec = model.json.weightsManifest[0].weights.slice(0, 3)
    expect(() => decodeWeightGroup(spec, new Uint8Array(3), new Map())).toThrow(/runs past the end/)
  })
})
