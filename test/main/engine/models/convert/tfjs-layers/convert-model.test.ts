import { beforeAll, describe, expect, it } from 'vitest'
import * as ort from 'onnxruntime-node'
import { convertLayersModel, type LayersModelArtifacts } from '../../../../../../src/main/engine/models/convert/tfjs-layers/index.js'
import { samePads1D, window2D } from '../../../../../../src/main/engine/models/convert/tfjs-layers/spatial.js'
import { onnxRoot } from '../../../../../../src/main/engine/onnx/onnx-schema.js'
import { initTfjsWasm } from '../../../../../support/tfjs-wasm.js'
import { compareOutputs, layerOutputs, loadReference, photoPaths, photoTensor, runOnnx, runReference, tf } from './helpers.js'

const H = 27
const W = 21

/**
 * A small functional Keras model on odd-sized input that exercises every translator path:
 * ZeroPadding2D folded into a conv and one materialized as Pad, BN folded into a conv and one
 * standalone (after an activation), ReLU6, depthwise 'same' stride 2 with multiplier 2, 1x3 and
 * dilated convs, max/avg pools with 'same' pads, Concatenate, Add, Flatten of a 2x2 map
 * (channels-last order), GAP, Dense + softmax, Dropout.
 */
function buildModel(): tf.LayersModel {
  const L = tf.layers
  const x = tf.input({ shape: [H, W, 3], name: 'image' })
  const p0 = L.zeroPadding2d({ padding: [[0, 1], [1, 0]], name: 'pad0' }).apply(x) as tf.SymbolicTensor
  const c0 = L.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'valid', useBias: true, name: 'conv0' }).apply(p0) as tf.SymbolicTensor
  const b0 = L.batchNormalization({ name: 'bn0', epsilon: 1e-3 }).apply(c0) as tf.SymbolicTensor
  const r0 = L.reLU({ maxValue: 6, name: 'relu6' }).apply(b0) as tf.SymbolicTensor
  const d0 = L.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'same', depthMultiplier: 2, useBias: false, name: 'dw0' }).apply(r0) as tf.SymbolicTensor
  const a0 = L.activation({ activation: 'relu', name: 'act0' }).apply(d0) as tf.SymbolicTensor
  const b1 = L.batchNormalization({ name: 'bn1', scale: false }).apply(a0) as tf.SymbolicTensor
  const c1 = L.conv2d({ filters: 16, kernelSize: [1, 3], padding: 'same', activation: 'relu', name: 'conv1' }).apply(b1) as tf.SymbolicTensor
  const c2 = L.conv2d({ filters: 16, kernelSize: 3, dilationRate: 2, padding: 'same', useBias: false, name: 'conv2' }).apply(b1) as tf.SymbolicTensor
  const ap = L.averagePooling2d({ poolSize: 3, strides: 1, padding: 'same', name: 'avg' }).apply(c1) as tf.SymbolicTensor
  const cat = L.concatenate({ axis: -1, name: 'cat' }).apply([c1, ap]) as tf.SymbolicTensor
  const sum = L.add({ name: 'sum' }).apply([c2, ap]) as tf.SymbolicTensor
  const p1 = L.zeroPadding2d({ padding: 1, name: 'pad1' }).apply(sum) as tf.SymbolicTensor
  const mp = L.maxPooling2d({ poolSize: 3, strides: 2, padding: 'valid', name: 'maxpool' }).apply(p1) as tf.SymbolicTensor
  const mp2 = L.maxPooling2d({ poolSize: 2, strides: 2, padding: 'same', name: 'maxpool_same' }).apply(mp) as tf.SymbolicTensor
  const flat = L.flatten({ name: 'flat' }).apply(mp) as tf.SymbolicTensor
  const drop = L.dropout({ rate: 0.5, name: 'drop' }).apply(flat) as tf.SymbolicTensor
  const probs = L.dense({ units: 5, activation: 'softmax', name: 'probs' }).apply(drop) as tf.SymbolicTensor
  const gap = L.globalAveragePooling2d({ name: 'gap' }).apply(sum) as tf.SymbolicTensor
  return tf.model({ inputs: x, outputs: [cat, sum, mp2, probs, gap], name: 'tiny' })
}

const OUTPUTS = ['cat', 'sum', 'maxpool_same', 'probs', 'gap', 'bn0']

async function saveArtifacts(model: tf.LayersModel): Promise<LayersModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined
  await model.save(tf.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })))
  const a = saved!
  return { modelTopology: a.modelTopology as never, weightSpecs: a.weightSpecs as never, weightData: new Uint8Array(a.weightData as ArrayBuffer) }
}

describe('convertLayersModel on a hand-built Keras model', () => {
  let artifacts: LayersModelArtifacts
  let reference: tf.LayersModel

  beforeAll(async () => {
    await initTfjsWasm()
    const model = buildModel()
    // Non-trivial batch-norm statistics (the defaults would make BN the identity).
    for (const name of ['bn0', 'bn1']) {
      const layer = model.getLayer(name)
      layer.setWeights(layer.getWeights().map((w, k) => tf.randomUniform(w.shape, k === layer.getWeights().length - 1 ? 0.5 : -0.5, 1.5, 'float32', 7 + k)))
    }
    artifacts = await saveArtifacts(model)
    reference = layerOutputs(await loadReference(artifacts), OUTPUTS)
  })

  it('computes TF-style asymmetric same pads', () => {
    expect(samePads1D(224, 3, 2)).toEqual([0, 1])
    expect(samePads1D(299, 3, 2)).toEqual([1, 1])
    expect(samePads1D(35, 3, 1)).toEqual([1, 1])
    expect(samePads1D(8, 1, 7)).toEqual([0, 0])
    expect(samePads1D(10, 3, 1, 2)).toEqual([2, 2])
    expect(window2D([14, 12], [3, 3], [2, 2], [1, 1], 'valid', [0, 1, 1, 0])).toEqual({ pads: [0, 1, 1, 0], outH: 6, outW: 5 })
  })

  it('matches TF.js on real photos and folds what it can', async () => {
    const result = convertLayersModel(artifacts, {
      graphName: 'tiny',
      inputName: 'images',
      batch: 1,
      outputs: OUTPUTS.map((layer) => ({ name: `out_${layer}`, layer })),
    })
    expect(result.outputs.map((o) => o.shape)).toEqual([[1, 32, 7, 5], [1, 16, 7, 5], [1, 16, 2, 2], [1, 5], [1, 16], [1, 8, 13, 10]])
    const graph = (onnxRoot().lookupType('onnx.ModelProto').decode(result.bytes) as unknown as { graph: { node: { op_type: string }[] } }).graph
    const ops = graph.node.map((n) => n.op_type)
    const count = (op: string): number => ops.filter((o) => o === op).length
    expect(count('Conv')).toBe(4)
    expect(count('BatchNormalization')).toBe(1) // bn1 follows an activation; bn0 is folded into conv0
    // pad0 became conv0's pads; pad1 feeds a max pool (over a map with negatives), so it is written as Concat with zeros (not
    // Pad, which onnxruntime would wrongly fuse into the pool): 2 more Concats besides 'cat'.
    expect(count('Pad')).toBe(0)
    expect(count('Concat')).toBe(3)
    const session = await ort.InferenceSession.create(result.bytes)
    for (const file of photoPaths(3, 10)) {
      const img = await photoTensor(file, H)
      // photoTensor is square; crop columns to the model's width.
      const x = new Float32Array(H * W * 3)
      for (let y = 0; y < H; y++) x.set(img.subarray(y * H * 3, y * H * 3 + W * 3), y * W * 3)
      const ours = await runOnnx(session, x, [1, H, W, 3])
      const theirs = runReference(reference, x, [1, H, W, 3])
      OUTPUTS.forEach((layer, k) => {
        const d = compareOutputs(ours[`out_${layer}`], theirs[k])
        expect(d.maxRef, layer).toBeGreaterThan(0.01)
        expect(d.maxAbs, layer).toBeLessThan(1e-5 * Math.max(1, d.maxRef))
      })
    }
  })

  it('refuses layers it does not know instead of skipping them', () => {
    const broken = structuredClone(artifacts)
    const layers = (broken.modelTopology as { config: { layers: { class_name: string; name: string }[] } }).config.layers
    layers.find((l) => l.name === 'act0')!.class_name = 'PReLU'
    expect(() => convertLayersModel(broken, { graphName: 't', inputName: 'images', batch: 1, outputs: [{ name: 'y', layer: 'gap' }] })).toThrow(/PReLU \(layer act0\) is not supported/)
  })
})
