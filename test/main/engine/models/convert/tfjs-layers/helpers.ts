/**
 * Test helpers for the TF.js layers converter: real coco-dev photos as model inputs, the original
 * Keras model on tfjs (wasm backend) as the reference, and NCHW-vs-NHWC comparison.
 */
import { readdirSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import * as ort from 'onnxruntime-node'
import type { LayersModelArtifacts } from '../../../../../../src/main/engine/models/convert/tfjs-layers/index.js'
import { initTfjsWasm, tf } from '../../../../../support/tfjs-wasm.js'

export { tf }

/** Absolute folder of the installed nsfwjs package. */
export const NSFWJS_DIR = path.resolve('node_modules/nsfwjs')
/** The coco-dev photo folder. */
export const PHOTO_DIR = path.resolve('../shared/data/coco-dev/images')

/** The first `n` coco-dev photos (sorted by name) as paths. */
export function photoPaths(n: number, from = 0): string[] {
  return readdirSync(PHOTO_DIR).filter((f) => f.endsWith('.jpg')).sort().slice(from, from + n).map((f) => path.join(PHOTO_DIR, f))
}

/** A photo decoded by sharp, stretched to size x size (bilinear), RGB, NHWC, scaled to [0, 1]. */
export async function photoTensor(file: string, size: number): Promise<Float32Array> {
  const { data, info } = await sharp(file).removeAlpha().resize(size, size, { fit: 'fill', kernel: 'linear' }).raw().toBuffer({ resolveWithObject: true })
  if (info.channels !== 3) throw new Error(`${file}: ${info.channels} channels after decoding`)
  const out = new Float32Array(data.length)
  for (let i = 0; i < data.length; i++) out[i] = data[i] / 255
  return out
}

/** Loads the artifacts as a tfjs LayersModel (the reference) on the wasm backend. */
export async function loadReference(artifacts: LayersModelArtifacts): Promise<tf.LayersModel> {
  await initTfjsWasm()
  const { weightData } = artifacts
  const buffer = weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength) as ArrayBuffer
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: artifacts.modelTopology as unknown as object, weightSpecs: artifacts.weightSpecs, weightData: buffer }))
}

/** A model computing the outputs of the named layers (in order) from the model's input. */
export function layerOutputs(model: tf.LayersModel, layerNames: string[]): tf.LayersModel {
  return tf.model({ inputs: model.inputs, outputs: layerNames.map((n) => model.getLayer(n).output as tf.SymbolicTensor) })
}

/** Runs a reference model on one NHWC input; returns each output's values (NHWC) and shape. */
export function runReference(model: tf.LayersModel, input: Float32Array, shape: number[]): { data: Float32Array; shape: number[] }[] {
  return tf.tidy(() => {
    const raw = model.predict(tf.tensor(input, shape, 'float32'))
    const outs = Array.isArray(raw) ? raw : [raw]
    return outs.map((t) => ({ data: Float32Array.from(t.dataSync() as ArrayLike<number>), shape: t.shape.slice() as number[] }))
  })
}

/** Runs an ONNX session on one NHWC input named `images`. */
export async function runOnnx(session: ort.InferenceSession, input: Float32Array, shape: number[]): Promise<Record<string, { data: Float32Array; shape: number[] }>> {
  const out = await session.run({ images: new ort.Tensor('float32', input, shape) })
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, { data: v.data as Float32Array, shape: v.dims.slice() }]))
}

/** Max abs difference, the largest |reference| and their ratio between an NCHW and an NHWC tensor. */
export interface Diff {
  maxAbs: number
  maxRef: number
  /** maxAbs / maxRef: the error relative to the map's range. */
  relToRange: number
  /** max over elements with |ref| >= 1 of |a - b| / |ref|. */
  maxRelLarge: number
}

/** Compares an ONNX output (NCHW for rank 4) with a tfjs output (NHWC for rank 4). */
export function compareOutputs(nchw: { data: Float32Array; shape: number[] }, nhwc: { data: Float32Array; shape: number[] }): Diff {
  const rank = nhwc.shape.length
  const [n, h, w, c] = rank === 4 ? nhwc.shape : [nhwc.shape[0], 1, 1, nhwc.shape[1]]
  if (nchw.data.length !== nhwc.data.length) throw new Error(`sizes differ: ${nchw.shape} vs ${nhwc.shape}`)
  let maxAbs = 0
  let maxRef = 0
  let maxRelLarge = 0
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let k = 0; k < c; k++) {
          const ref = nhwc.data[((b * h + y) * w + x) * c + k]
          const got = nchw.data[((b * c + k) * h + y) * w + x]
          const d = Math.abs(ref - got)
          maxAbs = Math.max(maxAbs, d)
          maxRef = Math.max(maxRef, Math.abs(ref))
          if (Math.abs(ref) >= 1) maxRelLarge = Math.max(maxRelLarge, d / Math.abs(ref))
        }
      }
    }
  }
  return { maxAbs, maxRef, relToRange: maxAbs / Math.max(maxRef, 1e-12), maxRelLarge }
}

/** Worst differences per output over several photos. */
export type ParityReport = Record<string, { maxAbs: number; maxRef: number; maxRelLarge: number }>

/**
 * Runs the ONNX session and the reference sub-model (whose outputs are `outputs`, in order)
 * on each photo and returns the worst differences per ONNX output name, plus the ONNX results
 * of the last photo for further checks.
 */
export async function measureParity(
  session: ort.InferenceSession,
  reference: tf.LayersModel,
  outputs: { name: string }[],
  files: string[],
  size: number,
): Promise<{ report: ParityReport; last: Record<string, { data: Float32Array; shape: number[] }> }> {
  const shape = [1, size, size, 3]
  const report: ParityReport = {}
  let last: Record<string, { data: Float32Array; shape: number[] }> = {}
  for (const file of files) {
    const x = await photoTensor(file, size)
    last = await runOnnx(session, x, shape)
    const theirs = runReference(reference, x, shape)
    outputs.forEach((o, k) => {
      const d = compareOutputs(last[o.name], theirs[k])
      const w = (report[o.name] ??= { maxAbs: 0, maxRef: 0, maxRelLarge: 0 })
      w.maxAbs = Math.max(w.maxAbs, d.maxAbs)
      w.maxRef = Math.max(w.maxRef, d.maxRef)
      w.maxRelLarge = Math.max(w.maxRelLarge, d.maxRelLarge)
    })
  }
  return { report, last }
}
