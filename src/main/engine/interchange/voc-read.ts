/**
 * Reading Pascal VOC ground truth: one XML file per photo (a folder of them, `Annotations/` inside
 * it if there is one, or a single file) with `<filename>`, optional `<path>`, `<size>` and an
 * `<object>` per box (`<name>`, `<bndbox>` with `xmin ymin xmax ymax`). VOC pixel coordinates are
 * 1-based and inclusive (the devkit's convention): the box is [xmin - 1, ymin - 1, xmax, ymax] in
 * the photo's pixel edges. VOC declares no class list, so nothing absent becomes a negative. A
 * file in a subfolder of the annotations folder names a photo in the same subfolder.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import type { Box } from '../store/types.js'
import { FormatError } from './format-error.js'
import type { GroundTruthRecord, GroundTruthSource } from './ground-truth.js'
import { child, childrenNamed, parseXml, type XmlElement } from './xml-reader.js'

/** Every .xml under `dir`, sorted. */
function xmlFiles(dir: string): string[] {
  const out: string[] = []
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, e.name)
      if (e.isDirectory()) walk(full)
      else if (e.isFile() && e.name.toLowerCase().endsWith('.xml')) out.push(full)
    }
  }
  walk(dir)
  return out
}

/** One VOC annotation file as a record. */
export function readVocFile(file: string, where = path.basename(file)): GroundTruthRecord {
  const root = parseXml(readFileSync(file, 'utf8'), file)
  const fail = (el: XmlElement, reason: string): never => {
    throw new FormatError(file, `line ${el.line} (<${el.name}>)`, reason)
  }
  if (root.name !== 'annotation') fail(root, 'the root element of a VOC file is <annotation>')
  const text = (parent: XmlElement, name: string): string => {
    const el = child(parent, name) ?? fail(parent, `<${name}> is missing`)
    const t = el.text.trim()
    return t || fail(el, `<${name}> is empty`)
  }
  const number = (parent: XmlElement, name: string): number => {
    const el = child(parent, name) ?? fail(parent, `<${name}> is missing`)
    const v = Number(el.text.trim())
    return el.text.trim() !== '' && Number.isFinite(v) ? v : fail(el, `<${name}> is not a number ("${el.text.trim()}")`)
  }
  // a file in a subfolder of Annotations/ names a photo in that subfolder (as Constella exports it)
  const dir = path.posix.dirname(where)
  const filename = text(root, 'filename')
  const record: GroundTruthRecord = { where, file: dir === '.' ? filename : `${dir}/${filename}`, labels: [], boxes: [] }
  const p = child(root, 'path')?.text.trim()
  if (p) record.path = p
  const size = child(root, 'size')
  if (size) {
    record.width = number(size, 'width')
    record.height = number(size, 'height')
  }
  for (const object of childrenNamed(root, 'object')) {
    const bndbox = child(object, 'bndbox') ?? fail(object, '<bndbox> is missing')
    const [xmin, ymin, xmax, ymax] = ['xmin', 'ymin', 'xmax', 'ymax'].map((n) => number(bndbox, n))
    if (xmax < xmin || ymax < ymin) fail(bndbox, `xmax must not be below xmin nor ymax below ymin (${xmin}, ${ymin}, ${xmax}, ${ymax})`)
    record.boxes.push({ name: text(object, 'name'), box: [xmin - 1, ymin - 1, xmax, ymax] as Box, where: `${where} line ${object.line}` })
  }
  return record
}

/** Reads a folder of VOC annotation files (or one file). */
export function readVoc(input: string): GroundTruthSource {
  if (!existsSync(input)) throw new FormatError(input, undefined, 'does not exist')
  if (statSync(input).isFile()) return { format: 'voc', files: [input], declared: null, records: [readVocFile(input)], notGroundTruth: 0 }
  const annotations = path.join(input, 'Annotations')
  const dir = existsSync(annotations) && statSync(annotations).isDirectory() ? annotations : input
  const files = xmlFiles(dir)
  if (files.length === 0) throw new FormatError(input, undefined, 'holds no VOC annotation file (*.xml)')
  const records = files.map((f) => readVocFile(f, path.relative(dir, f).split(path.sep).join('/')))
  return { format: 'voc', files, declared: null, records, notGroundTruth: 0 }
}
