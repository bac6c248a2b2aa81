/**
 * Scenes found without scene labels (SALGL section 3.3) and the embedding map: the scene model
 * (pi = softmax(W v + b), trained with the entropy loss of eq. 9-11 from a k-means++ start), the
 * per-scene label co-occurrence C^s / P^s kept in the library, the reads of the Scenes view and
 * heatmaps, and the 2-D map of the photo embeddings. The `salgl` head reuses the model
 * (`modelFromBlob` + `scenePosteriors` for pi, `readCooccurrence` or the stored counts for P^k).
 */
export { trainSceneModel, type SceneTraining, type SceneTrainingOptions } from './train-scene-model.js'
export { argmaxRows, featureStats, modelFromBlob, modelToBlob, scenePosteriors, standardise, type SceneModel } from './scene-model.js'
export { kMeans, type KMeansResult } from './kmeans.js'
export { balanceOf, entropyOf, normalisedMutualInformation, type Balance } from './balance.js'
export { computeMap, computeScenes, type ComputedScenes, type JobProgress } from './compute-scenes.js'
export { refreshScenes } from './scene-refresh.js'
export { readCooccurrence, readScenesOverview, type SceneReadOptions } from './scene-overview.js'
export { classNamer } from './scene-names.js'
export { readPhotoVectors, type PhotoVectors } from './photo-vectors.js'
