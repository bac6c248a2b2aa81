/**
 * Pack entry for the untrained default SARL-GAT head: its class word vectors come from the GloVe
 * file built just before it, its feature size from the chosen backbone map's output shape.
 */
import { buildDefaultHead } from '../../head/default-head.js'
import { WordVectors } from '../../pipeline/label-vectors.js'
import { COCO_CLASSES } from '../../../../shared/class-names.js'
import type { ConvertedModel } from '../manifest.js'

/** The feature map F_i is pooled from, as "model:output" (chosen by measurement; see README). */
export const DEFAULT_FEATURE_SOURCE = 'centernet-mobilenetv3:features_s32'

/** Channel count of a "model:output" feature map among already-built models. */
export function featureChannels(built: Map<string, ConvertedModel>, source: string): number {
  const [model, output] = source.split(':')
  const spec = built.get(model)?.entry.outputs.find((o) => o.name === output)
  if (!spec || typeof spec.shape[1] !== 'number') throw new Error(`feature source ${source} is not an output of the pack`)
  return spec.shape[1]
}

/** Builds the default head for `featureSource` (default {@link DEFAULT_FEATURE_SOURCE}). */
export async function convertDefaultHead(built: Map<string, ConvertedModel>, featureSource = DEFAULT_FEATURE_SOURCE): Promise<ConvertedModel> {
  const glove = built.get('glove-6b-100d')
  if (!glove) throw new Error('the GloVe vectors must be built before the head')
  const words = WordVectors.fromBytes(glove.bytes)
  const bytes = buildDefaultHead({
    featureDim: featureChannels(built, featureSource),
    featureSource,
    classNames: [...COCO_CLASSES],
    classWords: COCO_CLASSES.map((name) => words.vector(name)),
  })
  return {
    bytes,
    entry: {
      name: 'sarl-gat-head',
      role: 'head',
      file: 'sarl-gat-head.bin',
      source: 'constella (default head)',
      description: 'Untrained default SARL-GAT head: node projection, OT settings, 2-layer 8-head GAT, classifier (replaced by a fine-tuned head later)',
      inputs: [{ name: 'F_i', shape: ['N', featureChannels(built, featureSource)], dtype: 'float32' }],
      outputs: [{ name: 'H', shape: [256], dtype: 'float32' }],
      preprocessing: { featureSource },
    },
  }
}
