/**
 * Shared part of the nsfwjs backbone converters: read the bundled model, convert the requested
 * Keras layers, and describe the result (including which layers the nsfwjs fine-tuning froze).
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { ConvertedModel, ModelEntry } from '../../manifest.js'
import { type OutputRequest, convertLayersModel, layersNeeded } from './convert-model.js'
import { type KerasLayer, modelConfigOf } from './keras-types.js'
import { type NsfwjsModelName, readNsfwjsModel } from './nsfwjs-source.js'

/** nsfwjs' class order of the 5-way head (`dist/esm/nsfw_classes.js`). */
export const NSFW_CLASSES = ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'] as const

/** Which Keras layers were frozen (`trainable: false`) when nsfwjs fine-tuned the model. */
export interface FrozenReport {
  /** Layers (in model order) whose weights were not trained on the 5-class task. */
  frozenLayerCount: number
  /** First layer of the model config with `trainable: true`. */
  firstTrainableLayer: string | null
  /** For each requested output: whether every layer it depends on was frozen. */
  outputsFrozen: Record<string, boolean>
}

/** Reports the frozen/fine-tuned split for the layers behind each output. */
export function frozenReport(layers: KerasLayer[], outputs: OutputRequest[]): FrozenReport {
  const weighted = (l: KerasLayer): boolean => l.class_name !== 'InputLayer'
  const frozen = layers.filter((l) => weighted(l) && l.config.trainable === false)
  const outputsFrozen = Object.fromEntries(
    outputs.map((o) => [o.name, layersNeeded(layers, [o.layer]).filter(weighted).every((l) => l.config.trainable === false)]),
  )
  return {
    frozenLayerCount: frozen.length,
    firstTrainableLayer: layers.find((l) => weighted(l) && l.config.trainable !== false)?.name ?? null,
    outputsFrozen,
  }
}

/** What one nsfwjs backbone converter produces. */
export interface NsfwjsBackboneSpec {
  folder: NsfwjsModelName
  entryName: string
  size: number
  outputs: OutputRequest[]
  describe: (frozen: FrozenReport) => string
}

/** Reads, converts and describes one nsfwjs backbone. */
export async function convertNsfwjsBackbone(nsfwjsDir: string, spec: NsfwjsBackboneSpec): Promise<ConvertedModel> {
  const version = (JSON.parse(readFileSync(path.join(nsfwjsDir, 'package.json'), 'utf8')) as { version: string }).version
  const source = `nsfwjs@${version}`
  const artifacts = await readNsfwjsModel(nsfwjsDir, spec.folder)
  const frozen = frozenReport(modelConfigOf(artifacts.modelTopology).config.layers, spec.outputs)
  const description = spec.describe(frozen)
  const result = convertLayersModel(artifacts, {
    graphName: spec.entryName,
    inputName: 'images',
    batch: 1,
    outputs: spec.outputs,
    docString: description,
    metadata: { source, kerasModel: `dist/models/${spec.folder}`, keras_version: artifacts.modelTopology.keras_version ?? 'unknown' },
  })
  const entry: Omit<ModelEntry, 'sha256' | 'bytes'> = {
    name: spec.entryName,
    role: 'backbone',
    file: `${spec.entryName}.onnx`,
    source,
    description,
    inputs: result.inputs.map((i) => ({ ...i, description: `RGB image, NHWC, values in [0, 1] (pixel / 255), ${spec.size}x${spec.size}` })),
    outputs: result.outputs,
    preprocessing: {
      size: spec.size,
      layout: 'NHWC',
      colour: 'RGB',
      scale: '0..1',
      divideBy: 255,
      resize: 'bilinear',
      alignCorners: true,
      keepAspect: false,
      note: 'as nsfwjs infer(): pixels / 255, then tf.image.resizeBilinear(image, [size, size], alignCorners=true) when not already size x size (aspect not kept). ' +
        'Keras ImageNet weights were originally trained on inputs in [-1, 1]; nsfwjs fine-tuned and runs the model on [0, 1], which is what this graph expects.',
    },
    extra: {
      kerasNames: Object.fromEntries(spec.outputs.map((o) => [o.name, o.layer])),
      outputLayout: 'NCHW for rank-4 outputs, [N, features] for rank-2 outputs',
      classes: [...NSFW_CLASSES],
      frozenLayerCount: frozen.frozenLayerCount,
      firstTrainableLayer: frozen.firstTrainableLayer,
      outputsFrozen: frozen.outputsFrozen,
      weightQuantization: 'uint8 (dequantized as tfjs: v * scale + min), BatchNorm folded into convolutions',
      kerasVersion: artifacts.modelTopology.keras_version,
    },
  }
  return { entry, bytes: result.bytes }
}
