/**
 * The per-photo pipeline after decoding: detect -> feature map -> RoIAlign per object -> label
 * evidence -> SARL-GAT graph embedding. The detector and the head graph run in the engine process.
 */
import type { Detection } from '../../../shared/domain.js'
import { embedGraph, type GraphEmbedding, type GraphInput, type GraphVariant } from '../head/graph-embed.js'
import type { HeadParams } from '../head/head-params.js'
import { embedGraphOnEngine } from '../head/graph-embed-engine.js'
import type { InferenceRunner } from '../inference-types.js'
import type { BackboneExtractor } from './backbone.js'
import { photoScale, photoSize, type CenterNetDetector, type PhotoPixels } from './detect.js'
import { objectFeatures, parseFeatureSource, toFeatureMap, type FeatureGeometry } from './features.js'
import type { FeatureMap } from '../../../shared/math/roi-align.js'
import { iou } from './nms.js'

/** tau: detections at or above it become graph nodes and positive model labels. */
export const NODE_THRESHOLD = 0.25

/** Largest number of object nodes per photo (highest scores kept). */
export const MAX_OBJECTS = 32

/** Everything the library stores and explains about one photo. */
export interface PhotoAnalysisResult {
  /** Graph nodes: detections at or above the node threshold, best first. */
  detections: Detection[]
  /** Per-class max detection score over all detections (label evidence, numClasses). */
  classScores: Float32Array
  objectFeatures: Float32Array[]
  photoFeature: Float32Array
  /** What the head was given (ablations re-run the head on it). */
  graphInput: GraphInput
  graph: GraphEmbedding
}

/** What the analyzer runs with. */
export interface AnalyzerParts {
  detector: CenterNetDetector
  head: HeadParams
  /** Needed when the head's feature source is a backbone output. */
  backbone?: BackboneExtractor
  /** Node threshold tau (default 0.25). */
  nodeThreshold?: number
  /**
   * The head as an ONNX graph on the inference engine (how the library runs it). Without it, or
   * for an ablation variant, the TypeScript reference `embedGraph` runs in this process.
   */
  headGraph?: { runner: InferenceRunner; model: string }
}

/** Per-object class evidence: for each class, the best score of same-place detections (IoU >= 0.5). */
export function objectEvidence(nodes: Detection[], all: Detection[], numClasses: number): Float32Array[] {
  return nodes.map((d) => {
    const e = new Float32Array(numClasses)
    for (const o of all) if (o.score > e[o.classId] && iou(d.box, o.box) >= 0.5) e[o.classId] = o.score
    return e
  })
}

/** One detector pass: every detection (at the evidence threshold) and the head's feature map. */
export async function featurePass(parts: AnalyzerParts, photo: PhotoPixels, signal?: AbortSignal): Promise<{ raw: Detection[]; map: FeatureMap; geometry: FeatureGeometry }> {
  const source = parseFeatureSource(parts.head.header.featureSource)
  const fromDetector = source.model === parts.detector.modelName
  const detected = await parts.detector.detect(photo, { fetchFeatures: fromDetector ? [source.output as 'features_s32'] : [], signal })
  let geometry: FeatureGeometry
  let tensor
  if (fromDetector) {
    tensor = detected.features?.[source.output]
    geometry = { kind: 'letterbox', transform: detected.inputTransform, inputSize: 512, photoScale: photoScale(photo) }
  } else {
    if (!parts.backbone || parts.backbone.modelName !== source.model) throw new Error(`head needs backbone ${source.model}, which is not loaded`)
    tensor = (await parts.backbone.extract(photo, [source.output], { signal }))[source.output]
    const size = photoSize(photo)
    geometry = { kind: 'resize', photoWidth: size.width, photoHeight: size.height }
  }
  if (!tensor) throw new Error(`${source.model} returned no ${source.output}`)
  return { raw: detected.detections, map: toFeatureMap(tensor, parts.head.header.featureSource), geometry }
}

/** Analyses one decoded photo. `variant` selects an ablation of the graph (default: the method). */
export async function analyzePhoto(parts: AnalyzerParts, photo: PhotoPixels, variant: GraphVariant = {}, signal?: AbortSignal): Promise<PhotoAnalysisResult> {
  const { head } = parts
  const { raw, map, geometry } = await featurePass(parts, photo, signal)
  const numClasses = head.header.classNames.length
  const classScores = new Float32Array(numClasses)
  for (const d of raw) classScores[d.classId] = Math.max(classScores[d.classId], d.score)
  const tau = parts.nodeThreshold ?? NODE_THRESHOLD
  const detections = raw.filter((d) => d.score >= tau).sort((a, b) => b.score - a.score).slice(0, MAX_OBJECTS)
  const features = objectFeatures(map, detections.map((d) => d.box), geometry)
  const evidence = objectEvidence(detections, raw, numClasses)
  const graphInput: GraphInput = {
    photoFeature: features.photo,
    photoEvidence: classScores,
    objects: detections.map((d, i) => ({ feature: features.objects[i], classId: d.classId, score: d.score, evidence: evidence[i] })),
  }
  const isMethod = variant.adjacency === undefined && variant.labelVectors === undefined && variant.layer === undefined
  const graph = parts.headGraph && isMethod
    ? await embedGraphOnEngine(parts.headGraph.runner, parts.headGraph.model, head, graphInput, { signal })
    : embedGraph(head, graphInput, variant)
  return { detections, classScores, objectFeatures: features.objects, photoFeature: features.photo, graphInput, graph }
}
