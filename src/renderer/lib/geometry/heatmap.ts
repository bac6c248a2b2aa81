/**
 * The co-occurrence heatmaps' data, pure: a matrix P (P[i][j] = P(label j | label i) in a scene)
 * as cells for Observable Plot, the difference of two scenes aligned by class, the photos a cell
 * stands for (as a grid filter), and the shown matrix as CSV or JSON for export.
 */
import type { CooccurrenceMatrix } from '../../../shared/scene-types.js'

/** One cell of a scene's matrix: row `given`, column `label`. */
export interface HeatCell {
  /** Row and column position. */
  i: number
  j: number
  given: string
  label: string
  givenId: number
  labelId: number
  /** P(label | given) in the scene. */
  p: number
  /** Photos of the scene carrying both labels (C[i][j]). */
  both: number
  /** Photos carrying the row's label (C[i][i]). */
  givenCount: number
}

/** One cell of the difference of scene A and scene B over A's labels. */
export interface DiffCell {
  i: number
  j: number
  given: string
  label: string
  givenId: number
  labelId: number
  /** P(label | given) in A and in B (null where B does not have the pair's labels). */
  a: number
  b: number | null
  /** a - b (0 where b is null). */
  d: number
}

/** Photos that carry both labels of cell (i, j): the row's count times the conditional probability. */
export function bothCount(m: CooccurrenceMatrix, i: number, j: number): number {
  return Math.round((m.p[i]?.[j] ?? 0) * (m.counts[i] ?? 0))
}

/** Every cell of `m`, row by row. */
export function matrixCells(m: CooccurrenceMatrix): HeatCell[] {
  const cells: HeatCell[] = []
  for (let i = 0; i < m.classIds.length; i++) {
    for (let j = 0; j < m.classIds.length; j++) {
      cells.push({
        i,
        j,
        given: m.names[i],
        label: m.names[j],
        givenId: m.classIds[i],
        labelId: m.classIds[j],
        p: m.p[i]?.[j] ?? 0,
        both: bothCount(m, i, j),
        givenCount: m.counts[i] ?? 0,
      })
    }
  }
  return cells
}

/** A - B cell by cell over A's labels, B's values found by class id (Figure 4 of SALGL). */
export function differenceCells(a: CooccurrenceMatrix, b: CooccurrenceMatrix): DiffCell[] {
  const at = new Map(b.classIds.map((c, k) => [c, k]))
  const cells: DiffCell[] = []
  for (let i = 0; i < a.classIds.length; i++) {
    const bi = at.get(a.classIds[i])
    for (let j = 0; j < a.classIds.length; j++) {
      const bj = at.get(a.classIds[j])
      const pa = a.p[i]?.[j] ?? 0
      const pb = bi === undefined || bj === undefined ? null : (b.p[bi]?.[bj] ?? 0)
      cells.push({ i, j, given: a.names[i], label: a.names[j], givenId: a.classIds[i], labelId: a.classIds[j], a: pa, b: pb, d: pb === null ? 0 : pa - pb })
    }
  }
  return cells
}

/** The half-width of a symmetric colour domain for differences: the largest |d|, at least `floor`. */
export function symmetricExtent(values: Iterable<number>, floor = 0.05): number {
  let m = floor
  for (const v of values) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v))
  return m
}

/** The grid filter of a cell's photos: the scene's photos carrying both labels (one label on the diagonal). */
export function cellFilter(scene: number | 'global', givenId: number, labelId: number): { scene?: number; labels: number[] } {
  const labels = givenId === labelId ? [givenId] : [givenId, labelId]
  return scene === 'global' ? { labels } : { scene, labels }
}

/** One CSV field (RFC 4180 quoting when needed). */
export function csvField(value: string | number): string {
  const s = typeof value === 'number' ? formatNumber(value) : value
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Math.round(v * 1e6) / 1e6)
}

/** A square table as CSV: a header of column names, then one row per row name (first column). */
export function tableCsv(corner: string, names: string[], values: (i: number, j: number) => number | null): string {
  const lines = [[corner, ...names].map(csvField).join(',')]
  names.forEach((row, i) => {
    lines.push([row, ...names.map((_, j) => values(i, j))].map((v) => (v === null ? '' : csvField(v))).join(','))
  })
  return lines.join('\n') + '\n'
}

/** A scene's matrix as CSV: rows are the given label, columns P(column | row). */
export function matrixCsv(m: CooccurrenceMatrix): string {
  return tableCsv('P(column | row)', m.names, (i, j) => m.p[i]?.[j] ?? 0)
}

/** The difference A - B as CSV over A's labels (empty where B lacks a label). */
export function differenceCsv(a: CooccurrenceMatrix, b: CooccurrenceMatrix): string {
  const cells = differenceCells(a, b)
  const n = a.classIds.length
  return tableCsv('P_A - P_B (column | row)', a.names, (i, j) => (cells[i * n + j].b === null ? null : cells[i * n + j].d))
}

/** A scene's matrix as JSON (the API record, with the photo counts of both labels added). */
export function matrixJson(m: CooccurrenceMatrix): string {
  const both = m.classIds.map((_, i) => m.classIds.map((__, j) => bothCount(m, i, j)))
  return JSON.stringify({ ...m, both }, null, 2) + '\n'
}

/** The difference A - B as JSON: both matrices' scenes, the labels and the differences. */
export function differenceJson(a: CooccurrenceMatrix, b: CooccurrenceMatrix): string {
  const cells = differenceCells(a, b)
  const n = a.classIds.length
  const d = a.classIds.map((_, i) => a.classIds.map((__, j) => (cells[i * n + j].b === null ? null : round6(cells[i * n + j].d))))
  return JSON.stringify({ a: a.scene, b: b.scene, classIds: a.classIds, names: a.names, difference: d }, null, 2) + '\n'
}

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6
}
