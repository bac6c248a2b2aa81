/**
 * nsfwjs' MobileNetV2 (Keras 2.2.4, 224x224, alpha 1.0) as the ONNX backbone `mobilenet-v2`.
 */
import type { ConvertedModel } from '../../manifest.js'
import { convertNsfwjsBackbone } from './nsfwjs-backbone.js'

/**
 * Keras layers behind the ONNX outputs: `block_10` [1,96,14,14] (block_10_project_BN; block 10
 * changes width 64 -> 96 so it has no residual add), `pooled` [1,1280] (flatten of the 7x7
 * average pool of out_relu = its global average pool), `probs` [1,5].
 */
export const MOBILENET_V2_OUTPUTS = [
  { name: 'block_10', layer: 'block_10_project_BN', description: 'inverted-residual block 10 output (14x14), NCHW; frozen ImageNet weights' },
  { name: 'pooled', layer: 'flatten_1', description: 'global average pool of out_relu (Keras average_pooling2d_1 7x7 + flatten_1); fine-tuned by nsfwjs' },
  { name: 'probs', layer: 'dense_3', description: "nsfwjs 5-class softmax: Drawing, Hentai, Neutral, Porn, Sexy" },
]

/** Converts `<nsfwjsDir>/dist/models/mobilenet_v2` to ONNX (entry `mobilenet-v2`). */
export function convertMobileNetV2(nsfwjsDir: string): Promise<ConvertedModel> {
  return convertNsfwjsBackbone(nsfwjsDir, {
    folder: 'mobilenet_v2',
    entryName: 'mobilenet-v2',
    size: 224,
    outputs: MOBILENET_V2_OUTPUTS,
    describe: (f) =>
      'MobileNetV2 (Keras 2.2.4 applications model, alpha 1.0, with a 256-128-5 dense head), the TF.js layers model shipped in nsfwjs ' +
      '(weights stored uint8-quantized). Input 224x224 RGB scaled to [0, 1]. ' +
      `The first ${f.frozenLayerCount} layers were frozen ImageNet weights during nsfwjs' fine-tuning: ` +
      `everything through block_10 (${f.outputsFrozen.block_10 ? 'verified: all trainable=false' : 'NOT all frozen'}); ` +
      `from ${f.firstTrainableLayer ?? '?'} on, blocks 11-16, Conv_1/out_relu, the pooled vector and the dense head ` +
      "were fine-tuned on nsfwjs' 5-class task (Drawing, Hentai, Neutral, Porn, Sexy).",
  })
}
