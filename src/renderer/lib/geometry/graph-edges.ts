/**
 * From a photo's SARL-GAT graph (`photos.graph`) to what the overlays draw. Graph nodes are the
 * whole photo (node 0) and one node per stored detection; the viewer shows one object per
 * physical box (a {@link ObjectRef} stands for several detections of different classes), so node
 * matrices are first collapsed onto objects: adjacency by the strongest member pair, attention by
 * the mean of the source members' rows and the sum over the target members (rows keep summing to 1).
 */
import type { GraphNodeView } from '../../../shared/api-types.js'

/** The part of a photo object the graph needs: which stored objects it stands for. */
export interface ObjectRef {
  id: number
  memberIds: readonly number[]
}

/** A weighted edge between two objects (indices into the objects list). */
export interface Edge {
  from: number
  to: number
  weight: number
}

/** Which head(s) of a GAT layer to show: one head (0-based) or their mean. */
export type HeadChoice = number | 'mean'

/** For each graph node, the index of the object it belongs to; -1 for the photo node or an unknown object. */
export function nodeObjectIndex(nodes: readonly GraphNodeView[], objects: readonly ObjectRef[]): number[] {
  const byMember = new Map<number, number>()
  objects.forEach((o, index) => {
    byMember.set(o.id, index)
    for (const m of o.memberIds) if (!byMember.has(m)) byMember.set(m, index)
  })
  return nodes.map((n) => (n.kind === 'object' ? (byMember.get(n.objectId) ?? -1) : -1))
}

/**
 * Undirected OT adjacency edges between objects: one per object pair (the strongest A_ij of their
 * member nodes), at least `minWeight`, only between `visible` objects when given; weakest first so
 * strong edges are drawn on top.
 */
export function adjacencyEdges(
  adjacency: readonly (readonly number[])[],
  nodeToObject: readonly number[],
  options: { minWeight: number; visible?: ReadonlySet<number> },
): Edge[] {
  const best = new Map<string, Edge>()
  const n = Math.min(adjacency.length, nodeToObject.length)
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let a = nodeToObject[i]
      let b = nodeToObject[j]
      if (a < 0 || b < 0 || a === b) continue
      if (options.visible && (!options.visible.has(a) || !options.visible.has(b))) continue
      const weight = Math.max(adjacency[i]?.[j] ?? -Infinity, adjacency[j]?.[i] ?? -Infinity)
      if (!Number.isFinite(weight) || weight < options.minWeight) continue
      if (a > b) [a, b] = [b, a]
      const key = `${a}:${b}`
      const seen = best.get(key)
      if (!seen || seen.weight < weight) best.set(key, { from: a, to: b, weight })
    }
  }
  return [...best.values()].sort((x, y) => x.weight - y.weight || x.from - y.from || x.to - y.to)
}

/** Element-wise mean of several square matrices of one size. */
export function meanOverHeads(heads: readonly (readonly (readonly number[])[])[]): number[][] {
  if (heads.length === 0) return []
  const n = heads[0].length
  const out = Array.from({ length: n }, () => new Array<number>(n).fill(0))
  for (const m of heads) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i][j] += (m[i]?.[j] ?? 0) / heads.length
  return out
}

/** The node attention matrix alpha of `layer` (0-based) for one head or the mean of all heads. */
export function attentionMatrix(attention: readonly (readonly (readonly (readonly number[])[])[])[], layer: number, head: HeadChoice): number[][] {
  const heads = attention[layer]
  if (!heads || heads.length === 0) return []
  if (head === 'mean') return meanOverHeads(heads)
  return (heads[head] ?? []).map((row) => [...row])
}

/** Attention collapsed onto objects: `objects[a][b]` how much object a attends to object b. */
export interface ObjectAttention {
  objects: number[][]
  /** How much each object attends to the whole photo (node 0). */
  toPhoto: number[]
  /** How much the whole photo attends to each object. */
  fromPhoto: number[]
}

/** Collapses a node attention matrix onto `objectCount` objects (see the module comment). */
export function objectAttention(matrix: readonly (readonly number[])[], nodeToObject: readonly number[], objectCount: number): ObjectAttention {
  const objects = Array.from({ length: objectCount }, () => new Array<number>(objectCount).fill(0))
  const toPhoto = new Array<number>(objectCount).fill(0)
  const fromPhoto = new Array<number>(objectCount).fill(0)
  const rowsPerObject = new Array<number>(objectCount).fill(0)
  const n = Math.min(matrix.length, nodeToObject.length)
  for (let i = 0; i < n; i++) {
    const a = nodeToObject[i]
    if (a >= 0) rowsPerObject[a]++
  }
  for (let i = 0; i < n; i++) {
    const a = nodeToObject[i]
    for (let j = 0; j < n; j++) {
      const w = matrix[i]?.[j] ?? 0
      const b = nodeToObject[j]
      if (a >= 0 && b >= 0) objects[a][b] += w / rowsPerObject[a]
      else if (a >= 0 && j === 0) toPhoto[a] += w / rowsPerObject[a]
      else if (i === 0 && b >= 0) fromPhoto[b] += w
    }
  }
  return { objects, toPhoto, fromPhoto }
}

/**
 * Directed attention edges a -> b (a attends to b) between different visible objects, at least
 * `minWeight`; with `from`, only that object's edges. Weakest first.
 */
export function attentionEdges(
  att: ObjectAttention,
  options: { minWeight: number; from?: number | null; visible?: ReadonlySet<number> },
): Edge[] {
  const edges: Edge[] = []
  att.objects.forEach((row, a) => {
    if (options.from != null && a !== options.from) return
    if (options.visible && !options.visible.has(a)) return
    row.forEach((weight, b) => {
      if (a === b || weight < options.minWeight) return
      if (options.visible && !options.visible.has(b)) return
      edges.push({ from: a, to: b, weight })
    })
  })
  return edges.sort((x, y) => x.weight - y.weight || x.from - y.from || x.to - y.to)
}

/** One target of an object's attention, for the side panel: an object index, or the whole photo. */
export interface AttentionTarget {
  target: number | 'photo'
  weight: number
}

/** Whom object `a` attends to, strongest first (itself and the whole photo included). */
export function attendsTo(att: ObjectAttention, a: number): AttentionTarget[] {
  const row = att.objects[a]
  if (!row) return []
  const out: AttentionTarget[] = row.map((weight, b) => ({ target: b, weight }))
  out.push({ target: 'photo', weight: att.toPhoto[a] ?? 0 })
  return out.sort((x, y) => y.weight - x.weight)
}

/** Stroke width (screen px) and opacity of an edge of `weight` on a `lo..hi` scale. */
export function edgeStyle(weight: number, lo: number, hi: number): { width: number; opacity: number } {
  const t = hi > lo ? Math.max(0, Math.min(1, (weight - lo) / (hi - lo))) : 1
  return { width: 1 + 5 * t, opacity: 0.3 + 0.65 * t }
}
