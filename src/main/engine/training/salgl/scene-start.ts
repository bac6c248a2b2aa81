/**
 * The salgl head's scene detector start, from the library-side scene model (`engine/scenes`):
 * the context features v = F_0 of the training photos are standardised (per-channel mean and
 * spread, then unit length), a seeded k-means++ start gives the prototypes, and the scene model's
 * own training on the entropy loss (eq. 9-11, features alone) sharpens and balances them. The salgl
 * training then goes on jointly with the classification loss (eq. 18).
 */
import { featureStats, standardise } from '../../scenes/scene-model.js'
import { trainSceneModel } from '../../scenes/train-scene-model.js'

/** The scene detector's parameters: pi = softmax(W standardise(v) + b). */
export interface SceneStart {
  mean: Float32Array
  scale: Float32Array
  /** K x F prototypes. */
  weight: Float32Array
  bias: Float32Array
}

/** One standardised context feature (a copy). */
export function standardFeature(v: ArrayLike<number>, mean: Float32Array, scale: Float32Array): Float32Array {
  return standardise(Float32Array.from(v), 1, { dims: mean.length, mean, scale })
}

/** The start for K scenes from the training photos' context features; `steps` entropy-loss steps after k-means (0: k-means alone). */
export function sceneStart(features: readonly Float32Array[], K: number, seed: number, steps: number): SceneStart {
  const F = features[0].length
  const x = new Float32Array(features.length * F)
  features.forEach((v, i) => x.set(v, i * F))
  if (K === 1) {
    const { mean, scale } = featureStats(x, features.length, F)
    return { mean, scale, weight: new Float32Array(F), bias: new Float32Array(1) }
  }
  const { model } = trainSceneModel(x, features.length, F, { k: K, seed, steps })
  return { mean: model.mean, scale: model.scale, weight: model.weights, bias: model.bias }
}
