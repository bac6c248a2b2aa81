/**
 * Writing COCO JSON: `images` (id = photo id, file_name relative to the photos' common folder,
 * width, height, `constella_labels` with the positive and negative category ids), `annotations`
 * (bbox [x, y, w, h] in pixels, area, iscrowd 0, `constella_source`, a detector box's `score`) and
 * `categories` (COCO's own ids for COCO's classes). Images stream into the file while annotations
 * stream into a side file appended at the end, so the library is read once and held nowhere.
 */
import { createReadStream, rmSync } from 'node:fs'
import { categoryIdOf } from './coco-categories.js'
import type { ExportContent } from './export-content.js'
import { round, type FormatWriter, type WriterSetup } from './export-writer.js'
import type { ExportPhoto } from './library-pages.js'
import { OutputFile } from './output-file.js'
import type { PhotoSize } from './photo-size.js'

/** A COCO JSON writer. */
export function cocoWriter(setup: WriterSetup): FormatWriter {
  const main = new OutputFile(setup.out)
  const annotations = new OutputFile(`${setup.out}.annotations`)
  const category = (classId: number) => categoryIdOf(classId, setup.baseNames)
  let images = 0
  let nextAnnotation = 1
  const head = JSON.stringify({
    info: { description: 'Constella export', version: '1.0', date_created: new Date().toISOString(), root: setup.root },
    licenses: [],
    categories: setup.items.map((i) => ({ id: category(i.classId), name: i.name, supercategory: i.custom ? 'added' : '' })),
  })
  let started = false
  return {
    needsSize: true,
    notRepresentable: { labelsWithoutBox: 0, otherStates: 0 },
    async photo(p: ExportPhoto, c: ExportContent, size: PhotoSize | undefined) {
      if (!started) {
        started = true
        await main.write(`${head.slice(0, -1)},\n"images": [\n`)
      }
      const positive = c.labels.filter((l) => l.state === 'positive').map((l) => category(l.classId))
      const negative = c.labels.filter((l) => l.state === 'negative').map((l) => category(l.classId))
      this.notRepresentable.otherStates += c.labels.filter((l) => l.state === 'unknown').length
      const image = { id: p.id, file_name: p.file, width: size?.width ?? null, height: size?.height ?? null, constella_labels: { positive, negative } }
      await main.write(`${images++ > 0 ? ',\n' : ''}${JSON.stringify(image)}`)
      for (const b of c.boxes) {
        const [x1, y1, x2, y2] = b.box
        const a = {
          id: nextAnnotation, image_id: p.id, category_id: category(b.classId), bbox: [round(x1, 3), round(y1, 3), round(x2 - x1, 3), round(y2 - y1, 3)],
          area: round((x2 - x1) * (y2 - y1), 3), iscrowd: 0, constella_source: b.source, ...(b.score !== null ? { score: b.score } : {}),
        }
        await annotations.write(`${nextAnnotation++ > 1 ? ',\n' : ''}${JSON.stringify(a)}`)
      }
    },
    async finish() {
      if (!started) await main.write(`${head.slice(0, -1)},\n"images": [\n`)
      await main.write('\n],\n"annotations": [\n')
      await annotations.commit()
      for await (const chunk of createReadStream(annotations.file, { encoding: 'utf8', highWaterMark: 1 << 20 })) await main.write(chunk as string)
      rmSync(annotations.file, { force: true })
      await main.write('\n]}\n')
      await main.commit()
      return [setup.out]
    },
    async abort() {
      await annotations.abort()
      rmSync(annotations.file, { force: true })
      await main.abort()
    },
  }
}
