/**
 * Writing Pascal VOC: `Annotations/<photo path relative to the common folder, without
 * extension>.xml` per photo, with `<filename>`, `<path>`, `<size>` and an `<object>` per box in
 * VOC's 1-based inclusive integer pixels (xmin = round(x1) + 1, xmax = round(x2)). VOC has boxes
 * only: labels without a box and negative or unknown states are counted, not written.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { ExportContent } from './export-content.js'
import type { FormatWriter, WriterSetup } from './export-writer.js'
import type { ExportPhoto } from './library-pages.js'
import type { PhotoSize } from './photo-size.js'

/** Text for an XML element. */
export const xmlText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** The VOC XML of one photo. */
export function vocXml(p: ExportPhoto, c: ExportContent, size: PhotoSize): string {
  const objects = c.boxes.map((b) => {
    const [x1, y1, x2, y2] = b.box
    const xmin = Math.round(x1) + 1
    const ymin = Math.round(y1) + 1
    return [
      '  <object>', `    <name>${xmlText(b.name)}</name>`, '    <pose>Unspecified</pose>', '    <truncated>0</truncated>', '    <difficult>0</difficult>',
      '    <bndbox>', `      <xmin>${xmin}</xmin>`, `      <ymin>${ymin}</ymin>`,
      `      <xmax>${Math.max(xmin, Math.round(x2))}</xmax>`, `      <ymax>${Math.max(ymin, Math.round(y2))}</ymax>`, '    </bndbox>', '  </object>',
    ].join('\n')
  })
  const folder = path.posix.dirname(p.file)
  return [
    '<annotation>', `  <folder>${xmlText(folder === '.' ? '' : folder)}</folder>`, `  <filename>${xmlText(path.posix.basename(p.file))}</filename>`,
    `  <path>${xmlText(p.path)}</path>`, '  <source><database>Constella</database></source>',
    '  <size>', `    <width>${size.width}</width>`, `    <height>${size.height}</height>`, '    <depth>3</depth>', '  </size>',
    '  <segmented>0</segmented>', ...objects, '</annotation>', '',
  ].join('\n')
}

/** A VOC folder writer. */
export function vocWriter(setup: WriterSetup): FormatWriter {
  const files: string[] = []
  return {
    needsSize: true,
    notRepresentable: { labelsWithoutBox: 0, otherStates: 0 },
    async photo(p: ExportPhoto, c: ExportContent, size: PhotoSize | undefined) {
      const boxed = new Set(c.boxes.map((b) => b.classId))
      this.notRepresentable.labelsWithoutBox += c.labels.filter((l) => l.state === 'positive' && !boxed.has(l.classId)).length
      this.notRepresentable.otherStates += c.labels.filter((l) => l.state !== 'positive').length
      const file = path.join(setup.out, 'Annotations', ...`${p.file.replace(/\.[^./]*$/, '')}.xml`.split('/'))
      mkdirSync(path.dirname(file), { recursive: true })
      writeFileSync(file, vocXml(p, c, size!))
      files.push(file)
    },
    async finish() {
      return files
    },
    async abort() {},
  }
}
