/**
 * nsfwjs' InceptionV3 (Keras 2.2.4, 299x299) as the ONNX backbone `inception-v3`.
 */
import type { ConvertedModel } from '../../manifest.js'
import { convertNsfwjsBackbone } from './nsfwjs-backbone.js'

/**
 * Keras layers behind the ONNX outputs (all NCHW for maps):
 * - `mixed2` [1,288,35,35]: last 35x35 block (torchvision calls it Mixed_5d), frozen ImageNet;
 * - `mixed5` [1,768,17,17]: the real Keras `mixed5` (a 17x17 block), last frozen ImageNet block;
 * - `mixed10` [1,2048,8,8]: last block, fine-tuned;
 * - `pooled` [1,2048]: flatten of the 8x8 average pool of mixed10 (= its global average pool);
 * - `probs` [1,5]: nsfwjs' softmax head.
 */
export const INCEPTION_V3_OUTPUTS = [
  { name: 'mixed2', layer: 'mixed2', description: 'Inception block mixed2 (35x35, 288 channels; torchvision Mixed_5d), NCHW; frozen ImageNet weights' },
  { name: 'mixed5', layer: 'mixed5', description: 'Inception block mixed5 (17x17, 768 channels), NCHW; frozen ImageNet weights' },
  { name: 'mixed10', layer: 'mixed10', description: 'Inception block mixed10 (8x8), NCHW; fine-tuned by nsfwjs' },
  { name: 'pooled', layer: 'flatten_1', description: 'global average pool of mixed10 (Keras average_pooling2d_10 8x8 + flatten_1)' },
  { name: 'probs', layer: 'dense_3', description: "nsfwjs 5-class softmax: Drawing, Hentai, Neutral, Porn, Sexy" },
]

/** Converts `<nsfwjsDir>/dist/models/inception_v3` to ONNX (entry `inception-v3`). */
export function convertInceptionV3(nsfwjsDir: string): Promise<ConvertedModel> {
  return convertNsfwjsBackbone(nsfwjsDir, {
    folder: 'inception_v3',
    entryName: 'inception-v3',
    size: 299,
    outputs: INCEPTION_V3_OUTPUTS,
    describe: (f) =>
      'InceptionV3 (Keras 2.2.4 applications model with a 256-128-5 dense head), the TF.js layers model shipped in nsfwjs ' +
      '(weights stored uint8-quantized). Input 299x299 RGB scaled to [0, 1]. ' +
      `The first ${f.frozenLayerCount} layers were frozen ImageNet weights during nsfwjs' fine-tuning: ` +
      `everything up to and including mixed5 (the 17x17x768 block; ${f.outputsFrozen.mixed5 ? 'verified: all trainable=false' : 'NOT all frozen'}); ` +
      `from ${f.firstTrainableLayer ?? '?'} (inside mixed6) on, mixed6-mixed10, the pooled vector and the dense head ` +
      "were fine-tuned on nsfwjs' 5-class task (Drawing, Hentai, Neutral, Porn, Sexy).",
  })
}
