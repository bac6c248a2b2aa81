/**
 * Backbone throughput for benchmarks: the pack's backbone ONNX files (sha256-verified) run in
 * onnxruntime-node with given thread settings, on inputs built by the pipeline's own
 * preprocessing (`backboneInput`: resize per the manifest entry, scaling) from decoded photos.
 */
import * as ort from 'onnxruntime-node'
import type { ModelEntry } from '../../src/main/engine/models/manifest.js'
import { defaultPackDir, findModel, readManifest, readVerifiedModel } from '../../src/main/engine/models/pack.js'
import { backboneInput, parseBackbonePreprocessing, type BackbonePreprocessing } from '../../src/main/engine/pipeline/backbone.js'
import type { PhotoPixels } from '../../src/main/engine/pipeline/detect.js'
import type { ModelInput } from '../../src/main/engine/pipeline/letterbox.js'

/** ORT CPU thread settings shared by the detector and backbone timings. */
export interface OrtThreadSettings {
  intraOpNumThreads: number
  /** Whether intra-op worker threads spin-wait between operators. */
  allowSpinning: boolean
}

/** CPU session options for the settings (the product's, except for spinning when asked). */
export function ortCpuOptions(settings: OrtThreadSettings): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: ['cpu'], graphOptimizationLevel: 'all', executionMode: 'sequential',
    intraOpNumThreads: settings.intraOpNumThreads, interOpNumThreads: 1,
    extra: { session: { intra_op: { allow_spinning: settings.allowSpinning ? '1' : '0' } } },
  }
}

/** A backbone of the pack with its verified bytes and parsed preprocessing. */
export interface PackBackbone {
  entry: ModelEntry
  bytes: Uint8Array
  preprocessing: BackbonePreprocessing
}

/** Reads and verifies a backbone of the model pack by name (default pack: `defaultPackDir()`). */
export function loadPackBackbone(name: string, packDir = defaultPackDir()): PackBackbone {
  const entry = findModel(readManifest(packDir), name)
  const bytes = readVerifiedModel(packDir, entry)
  return { entry, bytes, preprocessing: parseBackbonePreprocessing(entry.preprocessing) }
}

/** Per-image latencies (ms) of `session.run` after `warmup` untimed runs. */
export async function timeBackbone(
  backbone: PackBackbone,
  inputs: ModelInput[],
  settings: OrtThreadSettings,
  options: { fetches?: string[]; warmup?: number } = {},
): Promise<number[]> {
  const session = await ort.InferenceSession.create(backbone.bytes, ortCpuOptions(settings))
  try {
    const name = backbone.preprocessing.inputName
    const run = async (x: ModelInput): Promise<void> => {
      const feeds = { [name]: new ort.Tensor('float32', x.tensor, x.dims) }
      if (options.fetches) await session.run(feeds, options.fetches)
      else await session.run(feeds)
    }
    for (let k = 0; k < (options.warmup ?? 3); k++) await run(inputs[k % inputs.length])
    const ms: number[] = []
    for (const x of inputs) {
      const t0 = performance.now()
      await run(x)
      ms.push(performance.now() - t0)
    }
    return ms
  } finally {
    await session.release()
  }
}

/** Builds the backbone's input tensors from decoded photos (before any timing). */
export function backboneInputs(backbone: PackBackbone, photos: PhotoPixels[]): Promise<ModelInput[]> {
  return Promise.all(photos.map((p) => backboneInput(p, backbone.preprocessing)))
}
