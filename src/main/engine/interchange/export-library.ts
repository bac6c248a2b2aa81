/**
 * Exporting a library's labels and boxes as COCO JSON, YOLO, Pascal VOC, CSV or JSONL. The
 * library is read a page of photos at a time and each photo is written as it is read (streams
 * wait for the disk), so memory stays flat and the export never holds the library; progress is
 * reported per photo. File formats appear under their name only once complete.
 *
 * COCO, YOLO and VOC take the photos a person annotated (see export-content.ts; `includeModel`
 * adds the model's labels and boxes, and every indexed photo); CSV and JSONL take every photo.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import type { Vocabulary } from '../annotation/vocabulary.js'
import type { LibraryDb } from '../store/database.js'
import { cocoWriter } from './coco-write.js'
import { fullContent, groundTruthContent, isAnnotated } from './export-content.js'
import type { FormatWriter, NotRepresentable, WriterSetup } from './export-writer.js'
import type { InterchangeFormat } from './ground-truth.js'
import { commonFolder, photoCount, photoPages } from './library-pages.js'
import { photoSize } from './photo-size.js'
import { csvWriter, jsonlWriter } from './table-write.js'
import { vocWriter } from './voc-write.js'
import { yoloWriter } from './yolo-write.js'

/** Options of {@link exportLibrary}. */
export interface ExportOptions {
  format: InterchangeFormat
  /** A file (coco, csv, jsonl) or a folder (yolo, voc). */
  out: string
  /** COCO/YOLO/VOC: also the model's labels and boxes (node threshold), for every photo with any. */
  includeModel?: boolean
  /** Write into an existing non-empty folder (yolo, voc). */
  force?: boolean
  /** Called after each photo with photos done and the library's photo count. */
  onProgress?: (done: number, total: number) => void
  /** Stops the export (the file formats leave nothing behind). */
  signal?: AbortSignal
  pageSize?: number
}

/** What an export wrote. */
export interface ExportSummary {
  format: InterchangeFormat
  out: string
  files: number
  photos: number
  labels: number
  boxes: number
  /** Photos left out: nothing annotated (ground-truth formats), or size unknown (formats that need it). */
  skipped: { notAnnotated: number; sizeUnknown: number }
  notRepresentable: NotRepresentable
  seconds: number
}

const WRITERS: Record<InterchangeFormat, (setup: WriterSetup) => FormatWriter> = {
  coco: cocoWriter, yolo: yoloWriter, voc: vocWriter, csv: csvWriter, jsonl: jsonlWriter,
}

/** Exports the library of `db` with the class names of `vocabulary`. */
export async function exportLibrary(db: LibraryDb, vocabulary: Vocabulary, options: ExportOptions): Promise<ExportSummary> {
  const started = Date.now()
  const folder = options.format === 'yolo' || options.format === 'voc'
  if (folder && existsSync(options.out) && (!statSync(options.out).isDirectory() || (readdirSync(options.out).length > 0 && !options.force))) {
    throw new Error(`${options.out} ${statSync(options.out).isDirectory() ? 'is not empty (use --force to write into it)' : 'is a file; a folder is needed for ' + options.format}`)
  }
  if (!folder && existsSync(options.out) && statSync(options.out).isDirectory()) throw new Error(`${options.out} is a folder; ${options.format} export writes one file`)
  const root = commonFolder(db)
  const writer = WRITERS[options.format]({ out: options.out, items: vocabulary.items(), baseNames: vocabulary.baseNames, root })
  const total = photoCount(db)
  const summary: ExportSummary = {
    format: options.format, out: options.out, files: 0, photos: 0, labels: 0, boxes: 0,
    skipped: { notAnnotated: 0, sizeUnknown: 0 }, notRepresentable: writer.notRepresentable, seconds: 0,
  }
  let done = 0
  try {
    for (const page of photoPages(db, root, options.pageSize)) {
      for (const p of page) {
        if (options.signal?.aborted) throw new Error('export cancelled')
        done++
        const table = options.format === 'csv' || options.format === 'jsonl'
        const content = table ? fullContent(p, vocabulary) : groundTruthContent(p, vocabulary, Boolean(options.includeModel))
        if (!table && !isAnnotated(p) && !(options.includeModel && (content.labels.length > 0 || content.boxes.length > 0))) {
          summary.skipped.notAnnotated++
        } else {
          const size = writer.needsSize ? await photoSize(p) : undefined
          if (writer.needsSize && !size) summary.skipped.sizeUnknown++
          else {
            await writer.photo(p, content, size)
            summary.photos++
            summary.labels += content.labels.length
            summary.boxes += content.boxes.length
          }
        }
        options.onProgress?.(done, total)
      }
    }
    summary.files = (await writer.finish()).length
  } catch (error) {
    await writer.abort()
    throw error
  }
  summary.seconds = (Date.now() - started) / 1000
  return summary
}
