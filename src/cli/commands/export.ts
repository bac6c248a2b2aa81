/**
 * `constella export --format coco|yolo|voc|csv|jsonl --out PATH`: the library's labels and boxes,
 * streamed a photo at a time with a progress bar. A reader: it takes no lock and runs beside the
 * app or an index run (a library at an older schema version is upgraded first, under the lock).
 */
import { packClassNames } from '../../main/engine/annotation/pack-vocabulary.js'
import { Vocabulary } from '../../main/engine/annotation/vocabulary.js'
import { exportLibrary, type ExportSummary } from '../../main/engine/interchange/export-library.js'
import { FORMATS, type InterchangeFormat } from '../../main/engine/interchange/ground-truth.js'
import { acquireLibraryLock } from '../../main/engine/library/library-lock.js'
import { libraryPaths } from '../../main/engine/library/library-paths.js'
import { LibraryDbError } from '../../main/engine/store/errors.js'
import { LibraryStore } from '../../main/engine/store/library-store.js'
import { VocabularyRepository } from '../../main/engine/store/vocabulary-repository.js'
import type { Command } from '../index.js'
import { ProgressBar } from '../progress.js'

const USAGE = `constella export --format ${FORMATS.join('|')} --out PATH [--include-model] [--force] [--json] [--library DIR]`

/** The library's store for reading; upgraded first (under the lock) when it is at an older schema version. */
function openForReading(database: string, dir: string): LibraryStore {
  try {
    return LibraryStore.open(database, { readOnly: true })
  } catch (error) {
    if (!(error instanceof LibraryDbError) || error.code !== 'needs-upgrade') throw error
    const lock = acquireLibraryLock(dir, { command: 'constella export' })
    try {
      LibraryStore.open(database).close()
    } finally {
      lock.release()
    }
    return LibraryStore.open(database, { readOnly: true })
  }
}

/** The summary for people. */
export function describeExport(s: ExportSummary): string[] {
  const lines = [`exported ${s.photos} photos (${s.labels} labels, ${s.boxes} boxes) as ${s.format} to ${s.out} in ${s.seconds.toFixed(1)} s`]
  if (s.skipped.notAnnotated) lines.push(`  ${s.skipped.notAnnotated} photos without human labels or boxes left out (--include-model adds the model's)`)
  if (s.skipped.sizeUnknown) lines.push(`  ${s.skipped.sizeUnknown} photos left out: their size is unknown (the file is unreadable)`)
  if (s.notRepresentable.labelsWithoutBox) lines.push(`  ${s.notRepresentable.labelsWithoutBox} positive labels without a box cannot be written in ${s.format}`)
  if (s.notRepresentable.otherStates) lines.push(`  ${s.notRepresentable.otherStates} negative or unknown label states cannot be written in ${s.format} (csv and jsonl keep them)`)
  return lines
}

export const exportCommand: Command = {
  summary: 'export labels and boxes as COCO JSON, YOLO, Pascal VOC, CSV or JSONL (with label states and sources)',
  usage: USAGE,
  options: { format: { type: 'string' }, out: { type: 'string' }, 'include-model': { type: 'boolean' }, force: { type: 'boolean' } },
  async run(values, positionals) {
    const format = values.format as InterchangeFormat | undefined
    const usage = (why: string) => (console.error(`constella export: ${why}\nusage: ${USAGE}`), 2)
    if (positionals.length > 0) return usage(`unexpected argument ${positionals[0]} (give the output with --out)`)
    if (!format || !FORMATS.includes(format)) return usage(`--format must be one of ${FORMATS.join(', ')}`)
    if (!values.out) return usage('give the output file (coco, csv, jsonl) or folder (yolo, voc) with --out')
    const paths = libraryPaths()
    const store = openForReading(paths.database, paths.dir)
    const bar = new ProgressBar(0)
    let shown = 0
    const controller = new AbortController()
    const onSignal = () => controller.abort()
    process.once('SIGINT', onSignal)
    try {
      const vocabulary = new Vocabulary(packClassNames(), new VocabularyRepository(store.db, Date.now))
      const summary = await exportLibrary(store.db, vocabulary, {
        format, out: String(values.out), includeModel: Boolean(values['include-model']), force: Boolean(values.force), signal: controller.signal,
        onProgress: (done, total) => {
          bar.setTotal(total)
          bar.tick(done - shown)
          shown = done
        },
      })
      bar.finish()
      console.log(values.json ? JSON.stringify({ library: paths.dir, ...summary }, null, 2) : describeExport(summary).join('\n'))
      return 0
    } catch (error) {
      if (controller.signal.aborted) {
        console.error('constella export: cancelled; no partial file was left')
        return 130
      }
      throw error
    } finally {
      process.off('SIGINT', onSignal)
      store.close()
    }
  },
}
