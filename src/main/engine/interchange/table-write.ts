/**
 * Writing CSV and JSONL: every photo (annotated or not) with every label's effective state, its
 * source (human or model), a human label's origin (hand or boxes), the model's confidence and
 * state, and every box with its source and score. CSV has a `photo` row per photo, then a row per
 * label and per box (columns: CSV_COLUMNS); JSONL one object per photo.
 */
import { csvLine } from './csv.js'
import type { ExportContent } from './export-content.js'
import type { FormatWriter, WriterSetup } from './export-writer.js'
import type { ExportPhoto } from './library-pages.js'
import { OutputFile } from './output-file.js'
import type { PhotoSize } from './photo-size.js'
import { CSV_COLUMNS, CSV_HEADER } from './table-read.js'

/** A CSV row padded to every column. */
const row = (values: (string | number | null | undefined)[]): string =>
  csvLine([...values, ...Array<null>(Math.max(0, CSV_COLUMNS.length - values.length)).fill(null)])

/** A CSV writer. */
export function csvWriter(setup: WriterSetup): FormatWriter {
  const out = new OutputFile(setup.out)
  let started = false
  return {
    needsSize: false,
    notRepresentable: { labelsWithoutBox: 0, otherStates: 0 },
    async photo(p: ExportPhoto, c: ExportContent, size: PhotoSize | undefined) {
      if (!started) await out.write(CSV_HEADER)
      started = true
      const photo = [p.file, p.path, p.id, size?.width ?? p.width, size?.height ?? p.height, p.reviewedAt]
      let text = row([...photo, 'photo'])
      for (const l of c.labels) text += row([...photo, 'label', l.classId, l.name, l.state, l.source, l.origin, l.confidence, l.modelState])
      for (const b of c.boxes) text += row([...photo, 'box', b.classId, b.name, null, b.source, null, null, null, ...b.box, b.id, b.score])
      await out.write(text)
    },
    async finish() {
      if (!started) await out.write(CSV_HEADER)
      await out.commit()
      return [setup.out]
    },
    abort: () => out.abort(),
  }
}

/** A JSONL writer. */
export function jsonlWriter(setup: WriterSetup): FormatWriter {
  const out = new OutputFile(setup.out)
  return {
    needsSize: false,
    notRepresentable: { labelsWithoutBox: 0, otherStates: 0 },
    async photo(p: ExportPhoto, c: ExportContent, size: PhotoSize | undefined) {
      await out.write(JSON.stringify({
        id: p.id, file: p.file, path: p.path, width: size?.width ?? p.width, height: size?.height ?? p.height, reviewed_at: p.reviewedAt,
        labels: c.labels.map((l) => ({ class_id: l.classId, name: l.name, state: l.state, source: l.source, origin: l.origin, confidence: l.confidence, model_state: l.modelState })),
        boxes: c.boxes.map((b) => ({ id: b.id, class_id: b.classId, name: b.name, box: b.box, source: b.source, score: b.score, ...(b.detectorOriginal ? { detector_original: b.detectorOriginal } : {}) })),
      }) + '\n')
    },
    async finish() {
      await out.commit()
      return [setup.out]
    },
    abort: () => out.abort(),
  }
}
