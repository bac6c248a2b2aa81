/**
 * Detector throughput: images/s of the converted MobileNetV3-CenterNet in onnxruntime-node
 * (CPU, batch 1, after warm-up) and of the original TF.js graph model on @tensorflow/tfjs with
 * the wasm backend, on the same letterboxed coco-dev photos in the same run; then, with the thread
 * settings of the faster ORT configuration, the images/s of the pack's backbones (InceptionV3 at
 * 299x299, MobileNetV2 at 224x224) on the same photos.
 *
 *   npx tsx bench/detector.ts [--images N] [--threads T]   (defaults: 50 photos, all cores)
 *
 * Photos are decoded and letterboxed before timing; only inference is timed (ORT: session.run
 * of all five outputs, with and without thread spin-waiting; TF.js: execute of
 * tower_0/detections + dataSync). Backbone inputs are built by the pipeline's own preprocessing
 * (decodePhoto + backboneInput per the manifest entry); each backbone is timed computing all its
 * outputs, and fetching only its frozen ImageNet feature map (what a RoIAlign head reads).
 */
import path from 'node:path'
import { availableParallelism } from 'node:os'
import * as ort from 'onnxruntime-node'
import { CENTERNET_TF_NAMES, convertCenterNet } from '../src/main/engine/models/convert/tfjs-graph/centernet.js'
import { installedPackageDir } from '../src/main/engine/models/convert/tfjs-graph/package-dir.js'
import { COCO_DEV_DIR, cocoDevImages, letterboxFile, type LetterboxedImage } from '../test/support/coco-images.js'
import { executeNodes, loadGraphModelFromFiles, tf } from '../test/support/tfjs-wasm.js'
import { decodePhoto } from '../src/main/engine/pipeline/decode.js'
import { backboneInputs, loadPackBackbone, ortCpuOptions, timeBackbone, type OrtThreadSettings } from './support/backbone-throughput.js'
import { machineLine, parseArgs, quantile, table } from './support/bench-report.js'

const WARMUP = 3

/** Backbones timed after the detector: pack name, and the frozen feature map a head would fetch. */
const BACKBONES = [
  { name: 'inception-v3', frozen: 'mixed5' },
  { name: 'mobilenet-v2', frozen: 'block_10' },
] as const

/** Per-image latencies (ms) of `run` over `inputs`, after WARMUP untimed runs. */
async function time(inputs: LetterboxedImage[], run: (x: LetterboxedImage) => Promise<Float32Array>): Promise<{ ms: number[]; detections: Float32Array[] }> {
  for (let k = 0; k < WARMUP; k++) await run(inputs[k % inputs.length])
  const ms: number[] = []
  const detections: Float32Array[] = []
  for (const x of inputs) {
    const t0 = performance.now()
    detections.push(await run(x))
    ms.push(performance.now() - t0)
  }
  return { ms, detections }
}

function row(engine: string, ms: number[]): (string | number)[] {
  const mean = ms.reduce((a, b) => a + b, 0) / ms.length
  return [engine, (1000 / mean).toFixed(2), mean.toFixed(1), quantile(ms, 0.5).toFixed(1), quantile(ms, 0.9).toFixed(1)]
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  const n = Number(args.get('images') ?? 50)
  const threads = Number(args.get('threads') ?? availableParallelism())
  if (!Number.isInteger(n) || n < 1) throw new Error('--images needs a positive integer')
  console.log(`machine: ${machineLine()}; ORT intra-op threads: ${threads}`)

  const files = cocoDevImages().slice(0, n)
  if (files.length < n) throw new Error(`only ${files.length} coco-dev photos`)
  const inputs = await Promise.all(files.map((f) => letterboxFile(f.file, 512)))

  const humanDir = installedPackageDir('@vladmandic/human')
  const t0 = performance.now()
  const converted = await convertCenterNet(humanDir)
  console.log(`conversion: ${((performance.now() - t0) / 1000).toFixed(2)} s, ${(converted.bytes.length / 1e6).toFixed(1)} MB ONNX`)

  // Two ORT configurations: the default thread pool (worker threads spin-wait between ops) and
  // spinning disabled, which matters on a shared, oversubscribed machine.
  const ortRuns: { label: string; settings: OrtThreadSettings; ms: number[]; detections: Float32Array[] }[] = []
  for (const [label, allowSpinning] of [['onnxruntime-node (converted)', true], ['onnxruntime-node, no spin-wait', false]] as const) {
    const settings: OrtThreadSettings = { intraOpNumThreads: threads, allowSpinning }
    const session = await ort.InferenceSession.create(converted.bytes, ortCpuOptions(settings))
    ortRuns.push({ label, settings, ...(await time(inputs, async (x) => {
      const out = await session.run({ images: new ort.Tensor('float32', x.tensor, x.dims) })
      return out.detections.data as Float32Array
    })) })
    await session.release()
  }
  const onnx = ortRuns[0]

  const model = await loadGraphModelFromFiles(path.join(humanDir, 'models', 'centernet.json'))
  const tfjs = await time(inputs, async (x) => executeNodes(model, x.tensor, x.dims, [CENTERNET_TF_NAMES.detections])[CENTERNET_TF_NAMES.detections].data)
  model.dispose()

  let scoreDiff = 0
  onnx.detections.forEach((d, i) => {
    for (let r = 0; r < 100; r++) scoreDiff = Math.max(scoreDiff, Math.abs(d[r * 6 + 4] - tfjs.detections[i][r * 6 + 4]))
  })
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')
  console.log(`\n${n} photos, batch 1, ${WARMUP} warm-up runs each (TF.js backend: ${tf.getBackend()}, SIMD ${simd ? 'on' : 'off'}, 1 thread)\n`)
  console.log(table(['engine', 'images/s', 'mean ms', 'p50 ms', 'p90 ms'], [...ortRuns.map((r) => row(r.label, r.ms)), row('tfjs-backend-wasm (original)', tfjs.ms)]))
  const total = (ms: number[]): number => ms.reduce((a, b) => a + b, 0)
  console.log('')
  for (const r of ortRuns) console.log(`${r.label}: ${(total(tfjs.ms) / total(r.ms)).toFixed(2)}x the throughput of TF.js wasm`)
  console.log(`max detection score difference ONNX vs TF.js: ${scoreDiff.toExponential(2)}`)

  // Backbones, with the thread settings of the faster ORT detector configuration.
  const best = ortRuns.reduce((a, b) => (total(b.ms) < total(a.ms) ? b : a))
  const photos = await Promise.all(files.map((f) => decodePhoto(path.join(COCO_DEV_DIR, 'images', f.file))))
  const backboneRows: (string | number)[][] = []
  for (const { name, frozen } of BACKBONES) {
    const backbone = loadPackBackbone(name)
    const x = await backboneInputs(backbone, photos)
    const size = `${backbone.preprocessing.size}x${backbone.preprocessing.size}`
    backboneRows.push(row(`${name} ${size}`, await timeBackbone(backbone, x, best.settings, { warmup: WARMUP })).toSpliced(1, 0, 'all outputs'))
    backboneRows.push(row(`${name} ${size}`, await timeBackbone(backbone, x, best.settings, { warmup: WARMUP, fetches: [frozen] })).toSpliced(1, 0, frozen))
  }
  const spin = best.settings.allowSpinning ? 'spin-wait on' : 'spin-wait off'
  console.log(`\nbackbones (pack ONNX files) in onnxruntime-node, ${n} photos, batch 1, ${WARMUP} warm-up runs, settings of the faster detector run: ${threads} intra-op threads, ${spin}\n`)
  console.log(table(['backbone', 'fetches', 'images/s', 'mean ms', 'p50 ms', 'p90 ms'], backboneRows.map((r) => r.map(String))))
  console.log(`\nload average at the end: ${machineLine().split('load average ')[1]} (figures are only comparable on an otherwise idle machine)`)
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
