/** The reader of each import format. */
import { readCocoJson } from './coco-read.js'
import { FormatError } from './format-error.js'
import type { GroundTruthSource, InterchangeFormat } from './ground-truth.js'
import { readCsv, readJsonl } from './table-read.js'
import { readVoc } from './voc-read.js'
import { readYolo } from './yolo-read.js'
import { existsSync, statSync } from 'node:fs'

/** Reads `input` (a file or folder) as `format`; throws a FormatError naming the file and line or field. */
export function readGroundTruth(format: InterchangeFormat, input: string): GroundTruthSource {
  if (!existsSync(input)) throw new FormatError(input, undefined, 'does not exist')
  const isDir = statSync(input).isDirectory()
  if (isDir && (format === 'coco' || format === 'csv' || format === 'jsonl')) {
    throw new FormatError(input, undefined, `is a folder; ${format} import reads one file`)
  }
  switch (format) {
    case 'coco': return readCocoJson(input)
    case 'yolo': return readYolo(input)
    case 'voc': return readVoc(input)
    case 'csv': return readCsv(input)
    case 'jsonl': return readJsonl(input)
  }
}
