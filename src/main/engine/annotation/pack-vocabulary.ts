/**
 * What annotation reads from the model pack without starting the inference engine: the head's
 * class names (the base vocabulary) and the GloVe word vectors (to accept a new label name).
 */
import path from 'node:path'
import { decodeHead } from '../head/head-params.js'
import { defaultPackDir, findModel, readManifest, readVerifiedModel } from '../models/pack.js'
import { WordVectors } from '../pipeline/label-vectors.js'

/** Name of the head in the pack. */
const HEAD = 'sarl-gat-head'
/** Name of the word vectors in the pack. */
const WORDS = 'glove-6b-100d'

/** The class names of the pack's head (index = class id). */
export function packClassNames(packDir = defaultPackDir()): string[] {
  const entry = findModel(readManifest(packDir), HEAD)
  return decodeHead(readVerifiedModel(packDir, entry), path.join(packDir, entry.file)).header.classNames
}

/** The pack's GloVe vectors, checked against the manifest (~70 MB; load once, when needed). */
export function packWordVectors(packDir = defaultPackDir()): WordVectors {
  const entry = findModel(readManifest(packDir), WORDS)
  return WordVectors.fromBytes(readVerifiedModel(packDir, entry), path.join(packDir, entry.file))
}

/** A loader that reads the pack's word vectors on its first call and keeps them. */
export function lazyPackWordVectors(packDir = defaultPackDir()): () => WordVectors {
  let words: WordVectors | undefined
  return () => (words ??= packWordVectors(packDir))
}
