/**
 * Query objects from boxes a user drew on a photo. A box that a stored object or a detection
 * overlaps (IoU >= `BOX_MATCH_IOU`) takes that object's h_i. A box that none matches becomes an
 * extra object node of the photo's graph, built the way `analyzeFeatures` builds detection nodes,
 * from the same feature pass (the detector runs once per query photo):
 * - F_i: RoIAlign + GAP of the box on the pass's feature map;
 * - class (for its word vector w_i): the best-scoring raw detection (score >= the evidence
 *   threshold, 0.05) with IoU >= `BOX_MATCH_IOU`, else the raw detection overlapping it most,
 *   else the photo's highest-scoring class — a box on nothing the detector saw is a guess, and
 *   the query object says so with origin 'box' and boxIou 0;
 * - evidence: same-place (IoU >= 0.5) raw detection scores, as for detections;
 * then the same head as indexing (the ONNX head graph) runs on the photo's graph plus these nodes
 * and their h_i are read out. The detections' own embeddings come from the graph without the
 * extra nodes (as stored).
 */
import type { Box, Detection } from '../../../shared/domain.js'
import { objectEvidence, runHead, type FeaturePass, type PhotoAnalysisResult } from '../analysis/analyze-photo.js'
import { objectFeatures } from '../pipeline/features.js'
import { iou } from '../pipeline/nms.js'
import { className, type SearchContext } from './context.js'
import type { QueryObject } from './types.js'

/** Least IoU at which a drawn box is taken to mean a detected (or stored) object. */
export const BOX_MATCH_IOU = 0.3

/** Index and IoU of the candidate box overlapping `box` most (-1 when none overlaps). */
export function bestOverlap(box: Box, candidates: readonly Box[]): { index: number; iou: number } {
  let best = { index: -1, iou: 0 }
  candidates.forEach((c, index) => {
    const v = iou(box, c)
    if (v > best.iou) best = { index, iou: v }
  })
  return best
}

/** Clamps a box to the photo; throws if nothing of it is left. */
export function clampBox(box: Box, width: number, height: number): Box {
  const c: Box = [Math.max(0, box[0]), Math.max(0, box[1]), Math.min(width, box[2]), Math.min(height, box[3])]
  if (!(c[2] > c[0] && c[3] > c[1])) {
    throw new Error(`box ${box.join(',')} has no area inside the ${width}x${height} photo`)
  }
  return c
}

/** The candidate `box` means (IoU >= `BOX_MATCH_IOU`), with that IoU, or undefined. */
export function matchBox<T extends { box: Box }>(box: Box, candidates: readonly T[]): { match: T; iou: number } | undefined {
  const o = bestOverlap(box, candidates.map((c) => c.box))
  return o.index >= 0 && o.iou >= BOX_MATCH_IOU ? { match: candidates[o.index], iou: o.iou } : undefined
}

/** The class a node built from `box` is given (see the module comment). */
function boxClass(box: Box, raw: readonly Detection[], classScores: Float32Array): { classId: number; score: number } {
  let best: Detection | undefined
  for (const d of raw) if (iou(box, d.box) >= BOX_MATCH_IOU && (!best || d.score > best.score)) best = d
  if (!best) {
    const o = bestOverlap(box, raw.map((d) => d.box))
    if (o.index >= 0) best = raw[o.index]
  }
  if (best) return { classId: best.classId, score: best.score }
  let classId = 0
  classScores.forEach((s, c) => { if (s > classScores[classId]) classId = c })
  return { classId, score: 0 }
}

/**
 * Query objects for `boxes` (already clamped to the photo), given the photo's feature pass and its
 * analysis from that pass. `known[i]`, when set, is box i's object already resolved (a stored one).
 */
export async function objectsForBoxes(ctx: SearchContext, pass: FeaturePass, analysis: PhotoAnalysisResult, boxes: readonly Box[],
  known: readonly (QueryObject | undefined)[] = []): Promise<QueryObject[]> {
  const { detections, graph } = analysis
  const out: (QueryObject | undefined)[] = boxes.map((b, i) => {
    if (known[i]) return known[i]
    const m = matchBox(b, detections.map((d, index) => ({ box: d.box, index })))
    if (!m) return undefined
    const d = detections[m.match.index]
    return {
      classId: d.classId, className: className(ctx, d.classId), box: d.box, score: d.score,
      origin: 'detected', boxIou: m.iou, embedding: graph.objectNodes[m.match.index],
    }
  })
  const missing = boxes.flatMap((b, i) => (out[i] ? [] : [i]))
  if (missing.length === 0) return out as QueryObject[]
  const extra: Detection[] = missing.map((i) => {
    const c = boxClass(boxes[i], pass.raw, analysis.classScores)
    return { box: boxes[i], classId: c.classId, score: c.score, className: className(ctx, c.classId) }
  })
  const features = objectFeatures(pass.map, extra.map((d) => d.box), pass.geometry).objects
  const evidence = objectEvidence(extra, pass.raw, ctx.classNames.length)
  const input = analysis.graphInput
  const extended = await runHead(ctx.analyser, {
    ...input,
    objects: [...input.objects, ...extra.map((d, j) => ({ feature: features[j], classId: d.classId, score: d.score, evidence: evidence[j] }))],
  })
  missing.forEach((boxIndex, j) => {
    const d = extra[j]
    out[boxIndex] = {
      classId: d.classId, className: d.className, box: boxes[boxIndex], score: null,
      origin: 'box', boxIou: 0, embedding: extended.objectNodes[input.objects.length + j],
    }
  })
  return out as QueryObject[]
}
