/**
 * The methods `constella eval` compares, each as a vector per image (retrieval by cosine) and,
 * where the method predicts labels, class scores (classification metrics).
 */
import { embedGraph, type GraphVariant } from '../head/graph-embed.js'
import type { HeadParams } from '../head/head-params.js'
import type { PhotoAnalysisResult } from '../analysis/analyze-photo.js'
import type { TensorPayload } from '../inference-types.js'
import { l2normalize } from '../../../shared/math/vector.js'
import { globalAveragePool } from '../../../shared/math/roi-align.js'
import { toFeatureMap } from '../pipeline/features.js'

/** Method name -> how it is described in the report. */
export const METHOD_NOTES: Record<string, string> = {
  'global-cnn': 'InceptionV3 pooled vector (mixed10 GAP; fine-tuned layers of nsfwjs) — the papers\' global CNN row',
  'global-cnn-frozen': 'InceptionV3 GAP of mixed5 (frozen ImageNet layers)',
  'label-histogram': 'detector per-class max scores (80-d)',
  'sarl-gat': 'graph embedding H (OT adjacency, label vectors, 2-layer 8-head GAT, default head)',
  'no-ot': 'ablation: cosine adjacency between nodes instead of OT',
  'no-label-vectors': 'ablation: visual features only (w_i = 0)',
  gcn: 'ablation: graph convolution instead of attention',
}

const ABLATIONS: Record<string, GraphVariant> = {
  'no-ot': { adjacency: 'cosine' },
  'no-label-vectors': { labelVectors: false },
  gcn: { layer: 'gcn' },
}

/** Vectors (and label scores) of every method for one image. */
export interface MethodOutputs {
  vectors: Record<string, Float32Array>
  scores: Record<string, Float32Array>
}

/** Computes all methods for one analysed image; `backbone` holds InceptionV3's `pooled` and `mixed5`. */
export function methodOutputs(head: HeadParams, result: PhotoAnalysisResult, backbone: Record<string, TensorPayload>): MethodOutputs {
  const vectors: Record<string, Float32Array> = {
    'global-cnn': l2normalize(backbone.pooled.data as Float32Array),
    'global-cnn-frozen': l2normalize(globalAveragePool(toFeatureMap(backbone.mixed5, 'mixed5'))),
    'label-histogram': l2normalize(result.classScores),
    'sarl-gat': result.graph.embedding,
  }
  for (const [name, variant] of Object.entries(ABLATIONS)) vectors[name] = embedGraph(head, result.graphInput, variant).embedding
  return { vectors, scores: { 'label-histogram': result.classScores, 'sarl-gat': result.graph.labelScores } }
}
