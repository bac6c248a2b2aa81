/**
 * Which stored boxes are one physical object: detector boxes taken best first (score, then id);
 * one overlapping a box taken before at IoU >= 0.7 is another class guess of that object (the
 * grouping migration 002 counts and the photo view shows). Editing or deleting a detector object
 * acts on the whole group, so a deleted object's next-best guess does not take its place.
 */
import type { Box } from '../store/types.js'
import { OBJECT_GROUP_IOU } from '../store/photo-query-repository.js'

/** Whether two boxes overlap at IoU >= {@link OBJECT_GROUP_IOU}, exactly as the SQL trigger computes it. */
export function sameObject(a: Box, b: Box): boolean {
  const iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]))
  const ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]))
  const inter = iw * ih
  const area = (x: Box) => (x[2] - x[0]) * (x[3] - x[1])
  return inter > 0 && inter >= OBJECT_GROUP_IOU * (area(a) + area(b) - inter)
}

/** A stored box as the grouping needs it. */
export interface GroupedBox {
  id: number
  box: Box
  score: number | null
  source: 'detector' | 'human'
}

/** The ids of the physical object `objectId` belongs to, its best box first (a human box is alone). */
export function objectGroup(boxes: readonly GroupedBox[], objectId: number): number[] {
  const target = boxes.find((b) => b.id === objectId)
  if (!target) return []
  if (target.source === 'human') return [objectId]
  const detected = boxes.filter((b) => b.source === 'detector').sort((a, b) => (b.score ?? 0) - (a.score ?? 0) || a.id - b.id)
  const leadOf = new Map<number, number>()
  detected.forEach((o, i) => {
    const higher = detected.slice(0, i).find((h) => sameObject(h.box, o.box))
    leadOf.set(o.id, higher ? leadOf.get(higher.id)! : o.id)
  })
  const lead = leadOf.get(objectId)!
  return detected.filter((d) => leadOf.get(d.id) === lead).map((d) => d.id)
}
