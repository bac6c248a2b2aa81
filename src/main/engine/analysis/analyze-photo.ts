/**
 * One photo through the pipeline and the head: detect -> one object per place (detections of
 * different classes on one box merge, see `mergeAcrossClasses`) -> feature map -> RoIAlign per
 * object -> class evidence (the object's class distribution) -> SARL-GAT graph embedding. The
 * detector and the head graph run in the engine process. A caller that needs the feature map again (box queries) keeps the {@link FeaturePass}
 * and analyses it with {@link analyzeFeatures}, so the detector runs once per photo.
 */
import type { Detection } from '../../../shared/domain.js'
import type { FeatureMap } from '../../../shared/math/roi-align.js'
import { embedGraph, type GraphEmbedding, type GraphInput, type GraphVariant } from '../head/graph-embed.js'
import { embedGraphOnEngine } from '../head/graph-embed-engine.js'
import type { HeadParams } from '../head/head-params.js'
import type { InferenceRunner } from '../inference-types.js'
import type { BackboneExtractor } from '../pipeline/backbone.js'
import { photoScale, photoSize, type CenterNetDetector, type PhotoPixels } from '../pipeline/detect.js'
import { objectFeatures, parseFeatureSource, toFeatureMap, type FeatureGeometry } from '../pipeline/features.js'
import { iou, mergeAcrossClasses } from '../pipeline/nms.js'

/** tau: detections at or above it become graph nodes and positive model labels. */
export const NODE_THRESHOLD = 0.25

/** Largest number of object nodes per photo (highest scores kept). */
export const MAX_OBJECTS = 32

/**
 * IoU from which two detections are at the same place: detections of different classes there
 * are one object, and each class's best score there is the object's class evidence.
 */
export const SAME_PLACE_IOU = 0.5

/** A class the detector also saw at an object's place, with its best score there. */
export interface ObjectAlternative {
  classId: number
  className: string
  score: number
}

/** Everything the library stores and explains about one photo. */
export interface PhotoAnalysisResult {
  /**
   * Graph nodes, one per physical object, best first: the best detection at or above the node
   * threshold of each place (the other classes there are its `alternatives`).
   */
  detections: Detection[]
  /** Per object (as `detections`): the other classes at or above the node threshold at its place, best first. */
  alternatives: ObjectAlternative[][]
  /** Per-class max detection score over all detections (label evidence, numClasses). */
  classScores: Float32Array
  objectFeatures: Float32Array[]
  photoFeature: Float32Array
  /** What the head was given (ablations re-run the head on it; `objects[i].evidence` is object i's class evidence). */
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

/** One detector pass over a photo: every detection (at the evidence threshold) and the head's feature map. */
export interface FeaturePass {
  raw: Detection[]
  map: FeatureMap
  geometry: FeatureGeometry
}

/** Per-object class evidence: for each class, the best score of same-place detections (IoU >= {@link SAME_PLACE_IOU}). */
export function objectEvidence(nodes: Detection[], all: Detection[], numClasses: number): Float32Array[] {
  return nodes.map((d) => {
    const e = new Float32Array(numClasses)
    for (const o of all) if (o.score > e[o.classId] && iou(d.box, o.box) >= SAME_PLACE_IOU) e[o.classId] = o.score
    return e
  })
}

/**
 * An object's alternatives, from its class evidence (the stored 'class-evidence' row): the classes
 * other than its own scoring at least `minScore` (default: the node threshold) at its place, best first.
 */
export function objectAlternatives(evidence: ArrayLike<number>, classId: number, classNames: readonly string[], minScore = NODE_THRESHOLD): ObjectAlternative[] {
  const out: ObjectAlternative[] = []
  for (let c = 0; c < evidence.length; c++) {
    if (c !== classId && evidence[c] >= minScore) out.push({ classId: c, className: classNames[c] ?? `class ${c}`, score: evidence[c] })
  }
  return out.sort((a, b) => b.score - a.score || a.classId - b.classId)
}

/**
 * The photo's objects: the detections at or above `tau` merged to one per place (detections of
 * different classes at IoU >= {@link SAME_PLACE_IOU} are one object, led by the best), best first,
 * at most {@link MAX_OBJECTS}.
 */
export function photoObjects(raw: readonly Detection[], tau: number): Detection[] {
  return mergeAcrossClasses(raw.filter((d) => d.score >= tau), { iouThreshold: SAME_PLACE_IOU }).slice(0, MAX_OBJECTS).map((o) => o.lead)
}

/** Per-class max score over `raw` (the photo's label evidence). */
export function classScoresOf(raw: readonly Detection[], numClasses: number): Float32Array {
  const scores = new Float32Array(numClasses)
  for (const d of raw) scores[d.classId] = Math.max(scores[d.classId], d.score)
  return scores
}

/** Runs the detector once: every detection and the head's feature map with its geometry. */
export async function featurePass(parts: AnalyzerParts, photo: PhotoPixels, signal?: AbortSignal): Promise<FeaturePass> {
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

/**
 * Runs the head on one graph: the ONNX head graph on the inference engine when the parts have one
 * (exactly as indexing does), the TypeScript reference otherwise or for an ablation `variant`.
 */
export async function runHead(parts: AnalyzerParts, input: GraphInput, variant: GraphVariant = {}, signal?: AbortSignal): Promise<GraphEmbedding> {
  const isMethod = variant.adjacency === undefined && variant.labelVectors === undefined && variant.layer === undefined
  return parts.headGraph && isMethod
    ? embedGraphOnEngine(parts.headGraph.runner, parts.headGraph.model, parts.head, input, { signal })
    : embedGraph(parts.head, input, variant)
}

/** Analyses a photo from its feature pass: graph nodes, their features and evidence, and the head. */
export async function analyzeFeatures(parts: AnalyzerParts, pass: FeaturePass, variant: GraphVariant = {}, signal?: AbortSignal): Promise<PhotoAnalysisResult> {
  const { raw, map, geometry } = pass
  const numClasses = parts.head.header.classNames.length
  const classScores = classScoresOf(raw, numClasses)
  const tau = parts.nodeThreshold ?? NODE_THRESHOLD
  const detections = photoObjects(raw, tau)
  const features = objectFeatures(map, detections.map((d) => d.box), geometry)
  const evidence = objectEvidence(detections, raw, numClasses)
  const alternatives = detections.map((d, i) => objectAlternatives(evidence[i], d.classId, parts.head.header.classNames, tau))
  const graphInput: GraphInput = {
    photoFeature: features.photo,
    photoEvidence: classScores,
    objects: detections.map((d, i) => ({ feature: features.objects[i], classId: d.classId, score: d.score, evidence: evidence[i] })),
  }
  const graph = await runHead(parts, graphInput, variant, signal)
  return { detections, alternatives, classScores, objectFeatures: features.objects, photoFeature: features.photo, graphInput, graph }
}

/** Analyses one decoded photo. `variant` selects an ablation of the graph (default: the method). */
export async function analyzePhoto(parts: AnalyzerParts, photo: PhotoPixels, variant: GraphVariant = {}, signal?: AbortSignal): Promise<PhotoAnalysisResult> {
  return analyzeFeatures(parts, await featurePass(parts, photo, signal), variant, signal)
}
