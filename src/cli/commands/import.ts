/**
 * `constella import <file|dir> --format coco|yolo|voc|csv|jsonl`: ground truth into the library as
 * human labels and boxes, matched to the library's photos by path or file name. A writer: it takes
 * the library's lock. Every change is a logged edit (actor "import:<format>") that can be reverted.
 */
import { existsSync } from 'node:fs'
import { AnnotationService } from '../../main/engine/annotation/annotation-service.js'
import { lazyPackWordVectors, packClassNames } from '../../main/engine/annotation/pack-vocabulary.js'
import { FormatError } from '../../main/engine/interchange/format-error.js'
import { FORMATS, type InterchangeFormat } from '../../main/engine/interchange/ground-truth.js'
import { importGroundTruth, type ImportSummary } from '../../main/engine/interchange/import-ground-truth.js'
import { acquireLibraryLock } from '../../main/engine/library/library-lock.js'
import { libraryPaths } from '../../main/engine/library/library-paths.js'
import { LibraryStore } from '../../main/engine/store/library-store.js'
import type { Command } from '../index.js'
import { ProgressBar } from '../progress.js'

const USAGE = `constella import <file|folder> --format ${FORMATS.join('|')} [--negatives declared|none] [--add-classes] [--dry-run] [--actor NAME] [--json] [--library DIR]`

const examples = (count: number, shown: string[]): string => `${count}${shown.length ? ` (e.g. ${shown.slice(0, 5).join(', ')}${count > 5 ? ', ...' : ''})` : ''}`

/** The summary for people. */
export function describeImport(s: ImportSummary, library: string): string[] {
  const lines = [`${s.dryRun ? 'dry run, nothing written: would import' : 'imported'} ${s.format} ground truth from ${s.files[0]}${s.files.length > 1 ? ` (+${s.files.length - 1} files)` : ''} into ${library}`]
  lines.push(`  ${s.records} images in the file: ${s.matchedPhotos} matched to library photos` +
    `${s.unmatched.count ? `, ${examples(s.unmatched.count, s.unmatched.examples)} not in the library` : ''}` +
    `${s.ambiguous.count ? `, ${s.ambiguous.count} ambiguous (${s.ambiguous.examples.slice(0, 3).map((a) => `${a.file}: ${a.candidates.length} photos`).join('; ')}; give a longer relative path)` : ''}`)
  lines.push(`  labels set: ${s.labelsSet}, boxes added: ${s.boxesAdded}, boxes replaced: ${s.boxesRemoved}, photos changed: ${s.photosChanged}`)
  for (const u of s.unknownClasses) lines.push(`  unknown class "${u.name}" (${u.count} label${u.count === 1 ? '' : 's'} and boxes) not imported: ${u.reason}`)
  for (const a of s.addedClasses) lines.push(`  added "${a.name}" to the vocabulary (class ${a.classId})`)
  if (s.boxesOutside) lines.push(`  ${s.boxesOutside} boxes lie outside their photo: not imported`)
  if (s.notGroundTruth) lines.push(`  ${s.notGroundTruth} model labels or detector boxes in the file are not ground truth: not imported`)
  if (s.resized.count) lines.push(`  ${examples(s.resized.count, s.resized.examples)} photos have another size in the file than in the library: their boxes were scaled`)
  if (s.sizeUnknown.count) lines.push(`  ${examples(s.sizeUnknown.count, s.sizeUnknown.examples)} photos skipped: their size is unknown (index them first)`)
  if (s.editIds.length) lines.push(`  correction log: edit${s.editIds.length > 1 ? `s ${s.editIds[0]}-${s.editIds.at(-1)}` : ` ${s.editIds[0]}`} (actor import:${s.format})`)
  return lines
}

export const importCommand: Command = {
  summary: 'import ground truth (COCO JSON, YOLO, Pascal VOC, CSV, JSONL) as human labels and boxes',
  usage: USAGE,
  options: {
    format: { type: 'string' }, negatives: { type: 'string' }, 'add-classes': { type: 'boolean' },
    'dry-run': { type: 'boolean' }, actor: { type: 'string' },
  },
  async run(values, inputs) {
    const format = values.format as InterchangeFormat | undefined
    const negatives = (values.negatives as string | undefined) ?? 'declared'
    const usage = (why: string) => (console.error(`constella import: ${why}\nusage: ${USAGE}`), 2)
    if (inputs.length !== 1) return usage('give one file or folder to import')
    if (!format || !FORMATS.includes(format)) return usage(`--format must be one of ${FORMATS.join(', ')}`)
    if (negatives !== 'declared' && negatives !== 'none') return usage('--negatives must be declared or none')
    const paths = libraryPaths()
    if (!existsSync(paths.database)) {
      console.error(`constella import: no library at ${paths.dir}: index the photos first (constella index <folder>), then import their labels`)
      return 1
    }
    const lock = acquireLibraryLock(paths.dir, { command: 'constella import' })
    const bar = new ProgressBar(0)
    let shown = 0
    try {
      const store = LibraryStore.open(paths.database)
      try {
        const svc = new AnnotationService(store.db, { classNames: packClassNames(), words: lazyPackWordVectors() })
        const summary = await importGroundTruth(svc, {
          format, input: inputs[0], negatives, addClasses: Boolean(values['add-classes']), dryRun: Boolean(values['dry-run']),
          actor: values.actor as string | undefined,
          onProgress: (done, total) => {
            bar.setTotal(total)
            bar.tick(done - shown)
            shown = done
          },
        })
        bar.finish()
        if (values.json) console.log(JSON.stringify({ library: paths.dir, ...summary }, null, 2))
        else console.log(describeImport(summary, paths.dir).join('\n'))
        return summary.matchedPhotos > 0 ? 0 : 1
      } finally {
        store.close()
      }
    } catch (error) {
      if (error instanceof FormatError) {
        console.error(`constella import: ${error.message}\nNothing was imported.`)
        return 1
      }
      throw error
    } finally {
      lock.release()
    }
  },
}
