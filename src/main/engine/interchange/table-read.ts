/**
 * Reading Constella's own CSV and JSONL exports back as ground truth: human label rows (with their
 * state: positive, negative or unknown) and human boxes. Model labels and detector boxes are not
 * ground truth; they are counted (`notGroundTruth`), not imported. Classes go by name.
 */
import { readFileSync } from 'node:fs'
import type { Box, LabelState } from '../store/types.js'
import { csvLine, parseCsv } from './csv.js'
import { FormatError, parseJson } from './format-error.js'
import type { GroundTruthRecord, GroundTruthSource } from './ground-truth.js'

/** The CSV export's columns, in order. */
export const CSV_COLUMNS = ['file', 'path', 'photo_id', 'width', 'height', 'reviewed_at', 'kind', 'class_id', 'class_name', 'state', 'source',
  'origin', 'confidence', 'model_state', 'x1', 'y1', 'x2', 'y2', 'object_id', 'score'] as const

/** The CSV export's header line. */
export const CSV_HEADER = csvLine(CSV_COLUMNS)

const STATES = new Set(['positive', 'negative', 'unknown'])

/** A record per photo, in first-seen order. */
function recordsByFile() {
  const map = new Map<string, GroundTruthRecord>()
  return {
    get(file: string, where: string, extra: Partial<GroundTruthRecord>): GroundTruthRecord {
      let r = map.get(file)
      if (!r) map.set(file, (r = { where, file, labels: [], boxes: [], explicit: true }))
      Object.assign(r, Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined)))
      return r
    },
    all: () => [...map.values()],
  }
}

/** Reads a CSV export. */
export function readCsv(file: string): GroundTruthSource {
  const rows = parseCsv(readFileSync(file, 'utf8'), file)
  if (rows.length === 0) throw new FormatError(file, undefined, 'is empty')
  const header = rows[0].fields.map((h) => h.trim())
  const col = new Map(header.map((h, i) => [h, i]))
  for (const need of ['file', 'kind', 'class_name', 'state', 'source', 'x1', 'y1', 'x2', 'y2']) {
    if (!col.has(need)) throw new FormatError(file, 'line 1', `the header has no "${need}" column (expected ${CSV_COLUMNS.join(',')})`)
  }
  const records = recordsByFile()
  let notGroundTruth = 0
  for (const { line, fields } of rows.slice(1)) {
    const get = (name: string): string => fields[col.get(name) ?? -1]?.trim() ?? ''
    const fail = (reason: string): never => {
      throw new FormatError(file, `line ${line}`, reason)
    }
    const num = (name: string): number | undefined => {
      const v = get(name)
      if (v === '') return undefined
      const n = Number(v)
      return Number.isFinite(n) ? n : fail(`column ${name} is not a number ("${v}")`)
    }
    if (fields.length !== header.length) fail(`${fields.length} fields, the header has ${header.length}`)
    const name = get('file') || fail('column file is empty')
    const r = records.get(name, `line ${line}`, { path: get('path') || undefined, width: num('width'), height: num('height') })
    const kind = get('kind')
    if (kind === 'photo') continue
    if (kind !== 'label' && kind !== 'box') fail(`column kind must be photo, label or box (got "${kind}")`)
    const className = get('class_name') || fail('column class_name is empty')
    if (get('source') !== 'human') {
      notGroundTruth++
      continue
    }
    if (kind === 'label') {
      const state = get('state')
      if (!STATES.has(state)) fail(`column state must be positive, negative or unknown (got "${state}")`)
      r.labels.push({ name: className, state: state as LabelState })
    } else {
      const box = ['x1', 'y1', 'x2', 'y2'].map((k) => num(k) ?? fail(`column ${k} is empty`)) as Box
      if (box[2] < box[0] || box[3] < box[1]) fail('x2 must not be below x1 nor y2 below y1')
      r.boxes.push({ name: className, box, where: `line ${line}` })
    }
  }
  return { format: 'csv', files: [file], declared: null, records: records.all(), notGroundTruth }
}

/** Reads a JSONL export (one photo per line). */
export function readJsonl(file: string): GroundTruthSource {
  const records = recordsByFile()
  let notGroundTruth = 0
  readFileSync(file, 'utf8').split(/\r?\n/).forEach((text, i) => {
    if (!text.trim()) return
    const where = `line ${i + 1}`
    const fail = (field: string, reason: string): never => {
      throw new FormatError(file, `${where}`, `${field}: ${reason}`)
    }
    let o: Record<string, unknown>
    try {
      o = parseJson(text, file) as Record<string, unknown>
    } catch (e) {
      throw new FormatError(file, where, (e as FormatError).reason)
    }
    if (typeof o !== 'object' || o === null || Array.isArray(o)) fail('(line)', 'expected one JSON object per line')
    const name = typeof o.file === 'string' && o.file ? o.file : fail('file', 'expected the photo\'s file name')
    const size = (k: string): number | undefined => (o[k] === undefined || o[k] === null ? undefined : typeof o[k] === 'number' ? o[k] as number : fail(k, 'expected a number'))
    const r = records.get(name, where, { path: typeof o.path === 'string' ? o.path : undefined, width: size('width'), height: size('height') })
    const list = (k: string): Record<string, unknown>[] => (o[k] === undefined ? [] : Array.isArray(o[k]) ? o[k] as Record<string, unknown>[] : fail(k, 'expected an array'))
    list('labels').forEach((l, k) => {
      if (l.source !== 'human') return void notGroundTruth++
      if (typeof l.name !== 'string' || !STATES.has(l.state as string)) fail(`labels[${k}]`, 'expected {name, state: positive|negative|unknown, source}')
      r.labels.push({ name: l.name as string, state: l.state as LabelState })
    })
    list('boxes').forEach((b, k) => {
      if (b.source !== 'human') return void notGroundTruth++
      const box = b.box
      if (typeof b.name !== 'string' || !Array.isArray(box) || box.length !== 4 || box.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
        fail(`boxes[${k}]`, 'expected {name, box: [x1, y1, x2, y2], source}')
      }
      r.boxes.push({ name: b.name as string, box: box as Box, where: `${where} boxes[${k}]` })
    })
  })
  return { format: 'jsonl', files: [file], declared: null, records: records.all(), notGroundTruth }
}
