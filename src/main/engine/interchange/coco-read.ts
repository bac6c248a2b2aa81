/**
 * Reading COCO JSON ground truth, in two shapes:
 *
 * - standard COCO: `{images: [{id, file_name, width, height}], annotations: [{image_id,
 *   category_id, bbox: [x, y, w, h]}], categories: [{id, name}]}`; an image's labels are the
 *   categories of its boxes. Constella's exports add `constella_labels: {positive, negative}`
 *   (category ids) per image: then those are its label states, boxes or not; and mark detector
 *   boxes `constella_source: "detector"`, which are not ground truth (counted, not imported).
 * - coco-dev: `{classes: [names], images: [{file, width, height, labels: [class ids],
 *   boxes: [[class, x1, y1, x2, y2]]}]}`.
 *
 * Every field is checked; a bad one is a FormatError naming its path (`annotations[12].bbox`).
 */
import { readFileSync } from 'node:fs'
import type { Box } from '../store/types.js'
import { FormatError, parseJson } from './format-error.js'
import type { GroundTruthRecord, GroundTruthSource } from './ground-truth.js'

type Json = Record<string, unknown>

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

/** Field checks that throw a FormatError naming the field. */
function checker(file: string) {
  const fail = (where: string, reason: string): never => {
    throw new FormatError(file, where, reason)
  }
  return {
    fail,
    array: (v: unknown, where: string): unknown[] => (Array.isArray(v) ? v : fail(where, `expected an array, got ${describe(v)}`)),
    object: (v: unknown, where: string): Json => (isObject(v) ? v : fail(where, `expected an object, got ${describe(v)}`)),
    number: (v: unknown, where: string): number => (isNumber(v) ? v : fail(where, `expected a number, got ${describe(v)}`)),
    string: (v: unknown, where: string): string => (typeof v === 'string' && v.length > 0 ? v : fail(where, `expected a non-empty string, got ${describe(v)}`)),
  }
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing (the field is missing)'
  const s = JSON.stringify(v)
  return s.length > 40 ? `${s.slice(0, 40)}…` : s
}

/** Reads a COCO or coco-dev JSON file. */
export function readCocoJson(file: string): GroundTruthSource {
  const data = parseJson(readFileSync(file, 'utf8'), file)
  const c = checker(file)
  const root = c.object(data, '(top level)')
  if (Array.isArray(root.classes)) return readCocoDev(file, root, c)
  if (!('annotations' in root) && !('categories' in root)) {
    c.fail('(top level)', 'neither COCO ({images, annotations, categories}) nor coco-dev ({classes, images}): no "categories" or "classes" field')
  }
  const categories = new Map<number, string>()
  c.array(root.categories, 'categories').forEach((cat, i) => {
    const o = c.object(cat, `categories[${i}]`)
    categories.set(c.number(o.id, `categories[${i}].id`), c.string(o.name, `categories[${i}].name`))
  })
  const name = (id: unknown, where: string): string => categories.get(c.number(id, where)) ?? c.fail(where, `category ${String(id)} is not in "categories"`)
  const records = new Map<number, GroundTruthRecord>()
  let detector = 0
  c.array(root.images, 'images').forEach((img, i) => {
    const o = c.object(img, `images[${i}]`)
    const where = `images[${i}]`
    const record: GroundTruthRecord = { where, file: c.string(o.file_name, `${where}.file_name`), labels: [], boxes: [] }
    if (o.width !== undefined) record.width = c.number(o.width, `${where}.width`)
    if (o.height !== undefined) record.height = c.number(o.height, `${where}.height`)
    if (o.constella_labels !== undefined) {
      const l = c.object(o.constella_labels, `${where}.constella_labels`)
      for (const state of ['positive', 'negative'] as const) {
        c.array(l[state] ?? [], `${where}.constella_labels.${state}`).forEach((id, k) =>
          record.labels.push({ name: name(id, `${where}.constella_labels.${state}[${k}]`), state }))
      }
      record.explicit = true
    }
    records.set(c.number(o.id, `${where}.id`), record)
  })
  c.array(root.annotations ?? [], 'annotations').forEach((a, i) => {
    const where = `annotations[${i}]`
    const o = c.object(a, where)
    if (o.constella_source === 'detector') return void detector++ // a model's box in an export: not ground truth
    const record = records.get(c.number(o.image_id, `${where}.image_id`)) ?? c.fail(`${where}.image_id`, `image ${String(o.image_id)} is not in "images"`)
    const bbox = c.array(o.bbox, `${where}.bbox`)
    if (bbox.length !== 4) c.fail(`${where}.bbox`, `expected [x, y, width, height], got ${bbox.length} values`)
    const [x, y, w, h] = bbox.map((v, k) => c.number(v, `${where}.bbox[${k}]`))
    if (w < 0 || h < 0) c.fail(`${where}.bbox`, `width and height must not be negative (got ${w} x ${h})`)
    record.boxes.push({ name: name(o.category_id, `${where}.category_id`), box: [x, y, x + w, y + h], where })
  })
  return { format: 'coco', files: [file], declared: [...categories.values()], records: [...records.values()], notGroundTruth: detector }
}

function readCocoDev(file: string, root: Json, c: ReturnType<typeof checker>): GroundTruthSource {
  const classes = c.array(root.classes, 'classes').map((n, i) => c.string(n, `classes[${i}]`))
  const name = (id: unknown, where: string): string => {
    const k = c.number(id, where)
    return classes[k] ?? c.fail(where, `class ${k} is not in "classes" (0..${classes.length - 1})`)
  }
  const records = c.array(root.images, 'images').map((img, i): GroundTruthRecord => {
    const where = `images[${i}]`
    const o = c.object(img, where)
    const record: GroundTruthRecord = { where, file: c.string(o.file, `${where}.file`), labels: [], boxes: [] }
    if (o.width !== undefined) record.width = c.number(o.width, `${where}.width`)
    if (o.height !== undefined) record.height = c.number(o.height, `${where}.height`)
    c.array(o.labels ?? [], `${where}.labels`).forEach((id, k) => record.labels.push({ name: name(id, `${where}.labels[${k}]`), state: 'positive' }))
    c.array(o.boxes ?? [], `${where}.boxes`).forEach((b, k) => {
      const bw = `${where}.boxes[${k}]`
      const v = c.array(b, bw)
      if (v.length !== 5) c.fail(bw, `expected [class, x1, y1, x2, y2], got ${v.length} values`)
      const [cls, x1, y1, x2, y2] = v.map((n, j) => c.number(n, `${bw}[${j}]`))
      if (x2 < x1 || y2 < y1) c.fail(bw, `x2 must not be below x1 nor y2 below y1 (got ${JSON.stringify(v)})`)
      record.boxes.push({ name: name(cls, `${bw}[0]`), box: [x1, y1, x2, y2] as Box, where: bw })
    })
    return record
  })
  return { format: 'coco', files: [file], declared: classes, records, notGroundTruth: 0 }
}
