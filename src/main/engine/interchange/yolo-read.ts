/**
 * Reading YOLO ground truth: a folder of label files (`labels/` inside it if there is one), one
 * `<photo stem>.txt` per photo with a line `class cx cy w h` per box (fractions of the photo,
 * optionally followed by a confidence), and the class names from `data.yaml` (`names:`) or
 * `classes.txt` (one per line) in the folder, its `labels/`, or its parent. A label file names its
 * photo by its path under the labels folder without the extension (images/x.jpg <-> labels/x.txt).
 * An empty label file is a photo with no object of any declared class.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import type { Box } from '../store/types.js'
import { FormatError } from './format-error.js'
import type { GroundTruthRecord, GroundTruthSource } from './ground-truth.js'
import { readYamlNames } from './yaml-names.js'

const YAML_NAMES = ['data.yaml', 'data.yml', 'dataset.yaml', 'dataset.yml']

/** The class names of a YOLO dataset and the file they came from. */
function findNames(dir: string): { names: string[]; file: string } {
  for (const d of [dir, path.join(dir, 'labels'), path.dirname(dir)]) {
    for (const f of YAML_NAMES) {
      const file = path.join(d, f)
      if (existsSync(file)) return { names: readYamlNames(readFileSync(file, 'utf8'), file), file }
    }
    const classes = path.join(d, 'classes.txt')
    if (existsSync(classes)) {
      const names = readFileSync(classes, 'utf8').split(/\r?\n/).map((l) => l.trim()).filter(Boolean)
      if (names.length === 0) throw new FormatError(classes, undefined, 'holds no class name (one name per line)')
      return { names, file: classes }
    }
  }
  throw new FormatError(dir, undefined, 'no class names: put a classes.txt (one name per line) or a data.yaml with "names:" beside the label files')
}

/** Every .txt under `dir` except classes.txt, sorted. */
function labelFiles(dir: string): string[] {
  const out: string[] = []
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, e.name)
      if (e.isDirectory()) walk(full)
      else if (e.isFile() && e.name.toLowerCase().endsWith('.txt') && e.name !== 'classes.txt') out.push(full)
    }
  }
  walk(dir)
  return out
}

/** The boxes of one label file. */
function readLabelFile(file: string, names: readonly string[], where: string): GroundTruthRecord['boxes'] {
  const boxes: GroundTruthRecord['boxes'] = []
  readFileSync(file, 'utf8').split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim()
    if (!line || line.startsWith('#')) return
    const fail = (reason: string): never => {
      throw new FormatError(file, `line ${i + 1}`, reason)
    }
    const parts = line.split(/\s+/)
    if (parts.length !== 5 && parts.length !== 6) fail(`expected "class cx cy w h" (5 numbers), got ${parts.length} values: "${line}"`)
    const v = parts.map(Number)
    if (v.some((x) => !Number.isFinite(x))) fail(`not a number in "${line}"`)
    const [cls, cx, cy, w, h] = v
    if (!Number.isInteger(cls) || cls < 0 || cls >= names.length) fail(`class ${parts[0]} is not a class index 0..${names.length - 1}`)
    if ([cx, cy, w, h].some((x) => x < -0.01 || x > 1.01) || w < 0 || h < 0) fail(`cx cy w h must be fractions of the photo (0..1), got "${line}"`)
    boxes.push({ name: names[cls], box: [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2] as Box, normalized: true, where: `${where} line ${i + 1}` })
  })
  return boxes
}

/** Reads a YOLO dataset folder (or one label file, with its class names beside it). */
export function readYolo(input: string): GroundTruthSource {
  if (!existsSync(input)) throw new FormatError(input, undefined, 'does not exist')
  const single = statSync(input).isFile()
  const dir = single ? path.dirname(input) : input
  const { names, file: namesFile } = findNames(dir)
  const labelsRoot = !single && existsSync(path.join(dir, 'labels')) && statSync(path.join(dir, 'labels')).isDirectory() ? path.join(dir, 'labels') : dir
  const files = single ? [input] : labelFiles(labelsRoot)
  if (files.length === 0) throw new FormatError(input, undefined, 'holds no YOLO label file (*.txt)')
  const records = files.map((file): GroundTruthRecord => {
    const rel = path.relative(labelsRoot, file).split(path.sep).join('/')
    return { where: rel, file: rel.replace(/\.txt$/i, ''), stemOnly: true, labels: [], boxes: readLabelFile(file, names, rel) }
  })
  return { format: 'yolo', files: [namesFile, ...files], declared: names, records, notGroundTruth: 0 }
}
