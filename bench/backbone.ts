/**
 * Backbone throughput: images/s of the converted nsfwjs backbones (InceptionV3, MobileNetV2) in
 * onnxruntime-node (CPU, batch 1, after warm-up) and of the original InceptionV3 TF.js layers
 * model on @tensorflow/tfjs with the wasm backend, over the same coco-dev photos.
 *
 *   npx tsx bench/backbone.ts [--images N]   (default 30)
 *
 * Photos are decoded and resized before timing; only inference is timed (ORT: session.run;
 * TF.js: predict + dataSync of the same five outputs the ONNX graph computes).
 */
import { readdirSync } from 'node:fs'
import { availableParallelism, loadavg } from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'
import sharp from 'sharp'
import * as ort from 'onnxruntime-node'
import * as tf from '@tensorflow/tfjs'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import {
  convertInceptionV3,
  convertMobileNetV2,
  INCEPTION_V3_OUTPUTS,
  readNsfwjsModel,
} from '../src/main/engine/models/convert/tfjs-layers/index.js'

const require = createRequire(import.meta.url)
const WARMUP = 3

function argImages(): number {
  const k = process.argv.indexOf('--images')
  const n = k >= 0 ? Number(process.argv[k + 1]) : 30
  if (!Number.isInteger(n) || n < 1) throw new Error('--images needs a positive integer')
  return n
}

async function photos(n: number, size: number): Promise<Float32Array[]> {
  const dir = path.resolve('../shared/data/coco-dev/images')
  const files = readdirSync(dir).filter((f) => f.endsWith('.jpg')).sort().slice(0, n)
  if (files.length < n) throw new Error(`only ${files.length} photos in ${dir}`)
  return Promise.all(files.map(async (f) => {
    const raw = await sharp(path.join(dir, f)).removeAlpha().resize(size, size, { fit: 'fill', kernel: 'linear' }).raw().toBuffer()
    return Float32Array.from(raw, (v) => v / 255)
  }))
}

/** Times `run` over every input after WARMUP untimed runs; returns images/s and ms/image. */
async function measure(inputs: Float32Array[], run: (x: Float32Array) => Promise<void>): Promise<{ ips: number; ms: number }> {
  for (let k = 0; k < WARMUP; k++) await run(inputs[k % inputs.length])
  const t0 = performance.now()
  for (const x of inputs) await run(x)
  const ms = (performance.now() - t0) / inputs.length
  return { ips: 1000 / ms, ms }
}

async function ortBench(bytes: Uint8Array, size: number, inputs: Float32Array[], threads?: number): Promise<{ ips: number; ms: number }> {
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    ...(threads ? { intraOpNumThreads: threads, interOpNumThreads: 1 } : {}),
  })
  const result = await measure(inputs, async (x) => {
    await session.run({ images: new ort.Tensor('float32', x, [1, size, size, 3]) })
  })
  await session.release()
  return result
}

async function tfjsBench(inputs: Float32Array[]): Promise<{ ips: number; ms: number }> {
  setWasmPaths(path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep)
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs wasm backend failed to initialise')
  await tf.ready()
  const a = await readNsfwjsModel(path.resolve('node_modules/nsfwjs'), 'inception_v3')
  const weightData = a.weightData.buffer.slice(a.weightData.byteOffset, a.weightData.byteOffset + a.weightData.byteLength) as ArrayBuffer
  const full = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: a.modelTopology as unknown as object, weightSpecs: a.weightSpecs, weightData }))
  const model = tf.model({ inputs: full.inputs, outputs: INCEPTION_V3_OUTPUTS.map((o) => full.getLayer(o.layer).output as tf.SymbolicTensor) })
  return measure(inputs, async (x) => {
    tf.tidy(() => {
      const outs = model.predict(tf.tensor(x, [1, 299, 299, 3], 'float32')) as tf.Tensor[]
      for (const t of outs) t.dataSync()
    })
  })
}

async function main(): Promise<void> {
  const n = argImages()
  const nsfwjs = path.resolve('node_modules/nsfwjs')
  console.log(`backbone bench: ${n} coco-dev photos, batch 1, ${WARMUP} warm-up runs, ${availableParallelism()} CPUs (load average ${loadavg()[0].toFixed(1)}), onnxruntime-node ${ort.env.versions.common}, tfjs ${tf.version.tfjs}`)

  let t0 = performance.now()
  const inception = await convertInceptionV3(nsfwjs)
  const convInception = performance.now() - t0
  t0 = performance.now()
  const mobilenet = await convertMobileNetV2(nsfwjs)
  const convMobilenet = performance.now() - t0
  console.log(`conversion: inception-v3 ${(convInception / 1000).toFixed(1)} s (${(inception.bytes.length / 1e6).toFixed(1)} MB), ` +
    `mobilenet-v2 ${(convMobilenet / 1000).toFixed(1)} s (${(mobilenet.bytes.length / 1e6).toFixed(1)} MB)`)

  const x299 = await photos(n, 299)
  const x224 = await photos(n, 224)
  const rows: [string, { ips: number; ms: number }][] = []
  rows.push(['inception-v3  onnxruntime cpu (default threads)', await ortBench(inception.bytes, 299, x299)])
  rows.push(['inception-v3  onnxruntime cpu (1 thread)', await ortBench(inception.bytes, 299, x299, 1)])
  rows.push(['mobilenet-v2  onnxruntime cpu (default threads)', await ortBench(mobilenet.bytes, 224, x224)])
  rows.push(['inception-v3  tfjs wasm (original layers model)', await tfjsBench(x299)])
  console.log(`load average at the end: ${loadavg()[0].toFixed(1)} (figures are only comparable on an otherwise idle machine)`)
  for (const [label, r] of rows) console.log(`${label.padEnd(50)} ${r.ips.toFixed(2).padStart(7)} images/s  ${r.ms.toFixed(1).padStart(8)} ms/image`)
  const ratio = rows[0][1].ips / rows[3][1].ips
  console.log(`inception-v3: onnxruntime is ${ratio.toFixed(2)}x the images/s of tfjs-wasm (1-thread ORT: ${(rows[1][1].ips / rows[3][1].ips).toFixed(2)}x)`)
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
