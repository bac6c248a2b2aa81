/**
 * Writing YOLO: `labels/<photo path relative to the common folder, without extension>.txt` with a
 * line `class cx cy w h` per box (fractions of the photo, 6 decimals), `classes.txt` (one name per
 * line, line index = class index: the head's classes, then the added names) and a `data.yaml`
 * with the same `names`. Photos are not copied. An annotated photo without boxes gets an empty
 * file (YOLO's "no object"); labels without a box cannot be written and are counted.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { ExportContent } from './export-content.js'
import { round, type FormatWriter, type WriterSetup } from './export-writer.js'
import type { ExportPhoto } from './library-pages.js'
import type { PhotoSize } from './photo-size.js'

/** A name as data.yaml writes it: quoted. */
const yamlString = (s: string): string => `'${s.replace(/'/g, "''")}'`

/** A YOLO folder writer. */
export function yoloWriter(setup: WriterSetup): FormatWriter {
  const index = new Map(setup.items.map((item, i) => [item.classId, i]))
  const files: string[] = []
  return {
    needsSize: true,
    notRepresentable: { labelsWithoutBox: 0, otherStates: 0 },
    async photo(p: ExportPhoto, c: ExportContent, size: PhotoSize | undefined) {
      const { width, height } = size!
      const lines = c.boxes.map((b) => {
        const [x1, y1, x2, y2] = b.box
        const v = [(x1 + x2) / 2 / width, (y1 + y2) / 2 / height, (x2 - x1) / width, (y2 - y1) / height].map((x) => round(x, 6))
        return `${index.get(b.classId)} ${v.join(' ')}`
      })
      const boxed = new Set(c.boxes.map((b) => b.classId))
      this.notRepresentable.labelsWithoutBox += c.labels.filter((l) => l.state === 'positive' && !boxed.has(l.classId)).length
      this.notRepresentable.otherStates += c.labels.filter((l) => l.state === 'unknown').length
      const file = path.join(setup.out, 'labels', ...`${p.file.replace(/\.[^./]*$/, '')}.txt`.split('/'))
      mkdirSync(path.dirname(file), { recursive: true })
      writeFileSync(file, lines.length ? `${lines.join('\n')}\n` : '')
      files.push(file)
    },
    async finish() {
      mkdirSync(setup.out, { recursive: true })
      const names = setup.items.map((i) => i.name)
      writeFileSync(path.join(setup.out, 'classes.txt'), `${names.join('\n')}\n`)
      writeFileSync(path.join(setup.out, 'data.yaml'), [
        '# Constella export: YOLO labels of the library photos (the photos themselves are not copied)',
        `# photos: ${setup.root || '(various folders)'}`,
        `nc: ${names.length}`,
        `names: [${names.map(yamlString).join(', ')}]`, '',
      ].join('\n'))
      return [path.join(setup.out, 'classes.txt'), path.join(setup.out, 'data.yaml'), ...files]
    },
    async abort() {},
  }
}
