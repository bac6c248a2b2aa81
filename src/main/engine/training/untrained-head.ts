/**
 * The untrained default head every training run starts from, rebuilt from the pack's GloVe
 * vectors exactly as the pack builder builds it, so a run (and the shipped head's recipe) starts
 * from the same point whichever head the pack ships.
 */
import { buildDefaultHead } from '../head/default-head.js'
import { decodeHead } from '../head/head-params.js'
import { findModel, readManifest, readVerifiedModel } from '../models/pack.js'
import { WordVectors } from '../pipeline/label-vectors.js'

/** The pack's head file and the untrained default head for the same feature map and classes. */
export function packHeads(packDir: string): { current: Uint8Array; untrained: Uint8Array } {
  const manifest = readManifest(packDir)
  const current = readVerifiedModel(packDir, findModel(manifest, 'sarl-gat-head'))
  const h = decodeHead(current).header
  const words = WordVectors.fromBytes(readVerifiedModel(packDir, findModel(manifest, 'glove-6b-100d')))
  const untrained = buildDefaultHead({ featureDim: h.featureDim, featureSource: h.featureSource, classNames: h.classNames, classWords: h.classNames.map((name) => words.vector(name)) })
  return { current, untrained }
}
