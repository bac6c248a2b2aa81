/**
 * Query objects from boxes a user drew on a photo. Each box takes the node embedding h_i of the
 * detection it overlaps best (IoU >= `BOX_MATCH_IOU`). A box that no detection matches becomes
 * an extra object node of the photo's graph, built the way `analyzePhoto` builds detection nodes:
 * - F_i: RoIAlign + GAP of the box on the head's feature map (a second feature pass, only then);
 * - class (for its word vector w_i): the best-scoring raw detection (score >= the evidence
 *   threshold, 0.05) with IoU >= `BOX_MATCH_IOU`, else the raw detection overlapping it most,
 *   else the photo's highest-scoring class — a box on nothing the detector saw is a guess, and
 *   the query object says so with origin 'box' and boxIou 0;
 * - evidence: same-place (IoU >= 0.5) raw detection scores, as for detections;
 * then the head runs on the photo's graph plus these nodes and their h_i are read out. The
 * detections' own embeddings come from the graph without the extra nodes (as stored).
 */
import type { Box as PixelBox, Detection } from '../../../shared/domain.js'
import { embedGraph, type GraphObject } from '../head/graph-embed.js'
import type { Library } from '../library/library.js'
import { featurePass, objectEvidence, type PhotoAnalysisResult } from '../pipeline/analyze-photo.js'
import type { DecodedPhoto } from '../pipeline/decode.js'
import { objectFeatures } from '../pipeline/features.js'
import { iou } from '../pipeline/nms.js'
import type { Box } from '../store/types.js'
import type { QueryObject } from './types.js'

/** Least IoU at which a drawn box is taken to mean a detected (or stored) object. */
export const BOX_MATCH_IOU = 0.3

/** Store box -> [x1, y1, x2, y2]. */
export const toPixelBox = (b: Box): PixelBox => [b.x1, b.y1, b.x2, b.y2]
/** [x1, y1, x2, y2] -> store box. */
export const toStoreBox = (b: PixelBox): Box => ({ x1: b[0], y1: b[1], x2: b[2], y2: b[3] })

/** Index and IoU of the candidate box overlapping `box` most (-1 when none overlaps). */
export function bestOverlap(box: PixelBox, candidates: readonly PixelBox[]): { index: number; iou: number } {
  let best = { index: -1, iou: 0 }
  candidates.forEach((c, index) => {
    const v = iou(box, c)
    if (v > best.iou) best = { index, iou: v }
  })
  return best
}

/** Clamps a box to the photo; throws if nothing of it is left. */
export function clampBox(box: Box, width: number, height: number): Box {
  const c = { x1: Math.max(0, box.x1), y1: Math.max(0, box.y1), x2: Math.min(width, box.x2), y2: Math.min(height, box.y2) }
  if (!(c.x2 > c.x1 && c.y2 > c.y1)) {
    throw new Error(`box ${box.x1},${box.y1},${box.x2},${box.y2} has no area inside the ${width}x${height} photo`)
  }
  return c
}

/** The class a node built from `box` is given (see the module comment). */
function boxClass(box: PixelBox, raw: readonly Detection[], classScores: Float32Array): { classId: number; score: number } {
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

/** Query objects for `boxes` (already clamped to the photo) on an analysed photo. */
export async function objectsForBoxes(lib: Library, photo: DecodedPhoto, analysis: PhotoAnalysisResult, boxes: readonly Box[]): Promise<QueryObject[]> {
  const names = lib.head.header.classNames
  const { detections, graph } = analysis
  const out: (QueryObject | undefined)[] = boxes.map((b) => {
    const o = bestOverlap(toPixelBox(b), detections.map((d) => d.box))
    if (o.index < 0 || o.iou < BOX_MATCH_IOU) return undefined
    const d = detections[o.index]
    return {
      classId: d.classId, className: names[d.classId], box: toStoreBox(d.box), score: d.score,
      origin: 'detected', boxIou: o.iou, embedding: graph.nodeEmbeddings[o.index + 1],
    }
  })
  const missing = boxes.flatMap((b, i) => (out[i] ? [] : [i]))
  if (missing.length === 0) return out as QueryObject[]
  const { raw, map, geometry } = await featurePass(lib.parts, photo)
  const numClasses = names.length
  const extraBoxes = missing.map((i) => toPixelBox(boxes[i]))
  const extra: Detection[] = extraBoxes.map((box) => {
    const c = boxClass(box, raw, analysis.classScores)
    return { box, classId: c.classId, score: c.score, className: names[c.classId] }
  })
  const features = objectFeatures(map, [...detections, ...extra].map((d) => d.box), geometry)
  const evidence = objectEvidence([...detections, ...extra], raw, numClasses)
  const objects: GraphObject[] = [...detections, ...extra].map((d, i) => ({ feature: features.objects[i], classId: d.classId, score: d.score, evidence: evidence[i] }))
  const extended = embedGraph(lib.head, { photoFeature: features.photo, photoEvidence: analysis.classScores, objects })
  missing.forEach((boxIndex, j) => {
    const d = extra[j]
    out[boxIndex] = {
      classId: d.classId, className: d.className, box: boxes[boxIndex], score: null,
      origin: 'box', boxIou: 0, embedding: extended.nodeEmbeddings[1 + detections.length + j],
    }
  })
  return out as QueryObject[]
}
