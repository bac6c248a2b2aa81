/**
 * One physical object per box: a photo's stored detections grouped as migration 002 counts them.
 * Detector objects are taken best first (score, then id); one that overlaps an object taken before
 * at IoU >= 0.7 joins that object's group as another class guess; the others start a group. A box
 * drawn by a person is always its own object.
 */
import type { ClassScore, PhotoObject } from '../../shared/api-contract.js'
import { sameObject } from '../engine/annotation/object-groups.js'
import type { ObjectRecord } from '../engine/store/types.js'
import { objectAlternatives } from '../engine/analysis/analyze-photo.js'

/** An object's stored class evidence (per-class scores of the detections at its place), if any. */
export type EvidenceOf = (objectId: number) => ArrayLike<number> | undefined

export { sameObject }

const better = (a: ObjectRecord, b: ObjectRecord): number => (b.score ?? 0) - (a.score ?? 0) || a.id - b.id

/**
 * Groups a photo's objects into physical objects: detector groups best first, then human boxes.
 * Analyses since one-object-per-place store one object per box with its class evidence: their
 * alternatives come from `evidenceOf`; older libraries still have one row per class, grouped here.
 */
export function groupObjects(objects: readonly ObjectRecord[], className: (classId: number) => string, evidenceOf?: EvidenceOf): PhotoObject[] {
  const detected = objects.filter((o) => o.source === 'detector').sort(better)
  const groups: ObjectRecord[][] = []
  const groupOf = new Map<number, ObjectRecord[]>()
  detected.forEach((o, i) => {
    const higher = detected.slice(0, i).find((h) => sameObject(h.box, o.box))
    const group = higher ? groupOf.get(higher.id)! : []
    if (!higher) groups.push(group)
    group.push(o)
    groupOf.set(o.id, group)
  })
  for (const o of objects) if (o.source === 'human') groups.push([o])
  return groups.map(([lead, ...rest]) => {
    const seen = new Set([lead.classId])
    const alternatives: ClassScore[] = []
    for (const o of rest) {
      if (seen.has(o.classId)) continue
      seen.add(o.classId)
      alternatives.push({ classId: o.classId, className: className(o.classId), score: o.score ?? 0 })
    }
    const evidence = lead.source === 'detector' ? evidenceOf?.(lead.id) : undefined
    for (const a of evidence ? objectAlternatives(evidence, lead.classId, []) : []) {
      if (seen.has(a.classId)) continue
      seen.add(a.classId)
      alternatives.push({ classId: a.classId, className: className(a.classId), score: a.score })
    }
    alternatives.sort((x, y) => y.score - x.score || x.classId - y.classId)
    return {
      id: lead.id, box: lead.box, classId: lead.classId, className: className(lead.classId), score: lead.score, source: lead.source,
      alternatives, memberIds: [lead.id, ...rest.map((o) => o.id)],
    }
  })
}
