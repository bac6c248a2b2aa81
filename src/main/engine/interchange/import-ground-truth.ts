/**
 * Importing ground truth into a library as human labels (set by hand) and human boxes, through
 * the annotation service: every change is a logged, durable, revertable edit (one per batch of
 * photos, actor "import:<format>"). Records are matched to photos by path or file name
 * (photo-matcher.ts); class names go through the vocabulary (VOC's spellings are COCO's classes).
 * Nothing is dropped silently: unmatched and ambiguous files, unknown class names (with counts),
 * rows that are not ground truth and size mismatches are all in the summary.
 *
 * A photo's imported boxes replace its human boxes (detector boxes stay); its labels are set for
 * the classes the file speaks of: the positives, and — for formats that declare their classes
 * (COCO categories, YOLO names), unless `negatives: 'none'` — the declared classes it lacks as
 * negatives. Re-importing the same file changes nothing.
 */
import path from 'node:path'
import type { AnnotationService } from '../annotation/annotation-service.js'
import type { EditSession } from '../annotation/edit-session.js'
import type { VocabularyEntry } from '../store/vocabulary-repository.js'
import { readGroundTruth } from './read-ground-truth.js'
import type { GroundTruthRecord, InterchangeFormat } from './ground-truth.js'
import { PhotoMatcher, type MatchedPhoto } from './photo-matcher.js'
import { photoSize } from './photo-size.js'
import { applyPhoto, desiredBoxes, type PhotoTruth } from './apply-truth.js'

/** Options of {@link importGroundTruth}. */
export interface ImportOptions {
  format: InterchangeFormat
  /** A file (COCO JSON, CSV, JSONL, one VOC XML or YOLO txt) or a folder (YOLO, VOC). */
  input: string
  /** 'declared' (default): classes the file declares but a photo lacks become negatives. */
  negatives?: 'declared' | 'none'
  /** Add class names the vocabulary lacks when GloVe knows them (else they are reported, not imported). */
  addClasses?: boolean
  /** Read and match everything, report what would change, write nothing. */
  dryRun?: boolean
  /** Who the log names; default "import:<format>". */
  actor?: string
  /** Photos per edit (per durable transaction), default 100. */
  photosPerEdit?: number
  onProgress?: (done: number, total: number) => void
}

/** What an import did (or, with dryRun, would do). */
export interface ImportSummary {
  format: InterchangeFormat
  files: string[]
  records: number
  matchedPhotos: number
  unmatched: { count: number; examples: string[] }
  ambiguous: { count: number; examples: { file: string; candidates: string[] }[] }
  /** Class names not in the vocabulary, with how many labels and boxes used them (not imported). */
  unknownClasses: { name: string; count: number; reason: string }[]
  addedClasses: VocabularyEntry[]
  labelsSet: number
  boxesAdded: number
  boxesRemoved: number
  /** Boxes wholly outside their photo (or empty): not imported. */
  boxesOutside: number
  photosChanged: number
  /** Rows the file holds that are not ground truth (model labels, detector boxes of an export). */
  notGroundTruth: number
  /** Photos whose size in the file differs from the library's: their boxes were scaled. */
  resized: { count: number; examples: string[] }
  /** Photos skipped because their size is unknown (YOLO boxes need it). */
  sizeUnknown: { count: number; examples: string[] }
  /** The log's edits of this import (revert them to undo it). */
  editIds: number[]
  dryRun: boolean
}

const EXAMPLES = 20

/** Imports a ground-truth file or folder into the library of `svc`. */
export async function importGroundTruth(svc: AnnotationService, options: ImportOptions): Promise<ImportSummary> {
  const source = readGroundTruth(options.format, options.input)
  const actor = options.actor ?? `import:${options.format}`
  const summary: ImportSummary = {
    format: source.format, files: source.files, records: source.records.length, matchedPhotos: 0,
    unmatched: { count: 0, examples: [] }, ambiguous: { count: 0, examples: [] }, unknownClasses: [], addedClasses: [],
    labelsSet: 0, boxesAdded: 0, boxesRemoved: 0, boxesOutside: 0, photosChanged: 0, notGroundTruth: source.notGroundTruth,
    resized: { count: 0, examples: [] }, sizeUnknown: { count: 0, examples: [] }, editIds: [], dryRun: Boolean(options.dryRun),
  }
  const matcher = new PhotoMatcher(svc.db)
  const byPhoto = new Map<number, { photo: MatchedPhoto; records: GroundTruthRecord[] }>()
  for (const r of source.records) {
    const m = matcher.match(r)
    if ('photo' in m) {
      const entry = byPhoto.get(m.photo.id) ?? { photo: m.photo, records: [] }
      entry.records.push(r)
      byPhoto.set(m.photo.id, entry)
    } else if (m.problem === 'ambiguous') {
      if (summary.ambiguous.count++ < EXAMPLES) summary.ambiguous.examples.push({ file: r.file, candidates: m.candidates })
    } else if (summary.unmatched.count++ < EXAMPLES) summary.unmatched.examples.push(r.file)
  }
  summary.matchedPhotos = byPhoto.size
  const unknown = new Map<string, { count: number; reason: string }>()
  const note = `${source.format} ${path.basename(options.input)}`
  const chunk = Math.max(1, options.photosPerEdit ?? 100)
  const photos = [...byPhoto.values()]
  if (options.dryRun) svc.db.exec('BEGIN IMMEDIATE')
  try {
    for (let i = 0; i < photos.length; i += chunk) {
      const truths: PhotoTruth[] = []
      for (const { photo, records } of photos.slice(i, i + chunk)) {
        const size = await photoSize(photo)
        const boxes = desiredBoxes(records, size)
        if (boxes === 'size-unknown') {
          if (summary.sizeUnknown.count++ < EXAMPLES) summary.sizeUnknown.examples.push(photo.path)
          continue
        }
        if (boxes.resized && summary.resized.count++ < EXAMPLES) summary.resized.examples.push(photo.path)
        truths.push({ photo, records, boxes: boxes.boxes })
      }
      const result = svc.run({ action: 'import', actor, note }, (s: EditSession) => {
        const resolve = classResolver(svc, options, actor, unknown, summary.addedClasses)
        const declared = options.negatives !== 'none' && source.declared ? source.declared : null
        for (const t of truths) {
          const changed = applyPhoto(s, svc, t, resolve, declared)
          summary.labelsSet += changed.labels
          summary.boxesAdded += changed.added
          summary.boxesRemoved += changed.removed
          summary.boxesOutside += changed.outside
          if (changed.labels + changed.added + changed.removed > 0) summary.photosChanged++
        }
        return {}
      })
      if (result.editId !== null) summary.editIds.push(result.editId)
      options.onProgress?.(Math.min(i + chunk, photos.length), photos.length)
    }
  } finally {
    if (options.dryRun) {
      svc.db.exec('ROLLBACK')
      svc.vocabulary.refresh()
    }
  }
  summary.unknownClasses = [...unknown].map(([name, u]) => ({ name, ...u })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name))
  if (options.dryRun) summary.editIds = []
  return summary
}

/** Maps a file's class name to a class id, adding it (addClasses) or counting it as unknown. */
function classResolver(svc: AnnotationService, options: ImportOptions, actor: string,
  unknown: Map<string, { count: number; reason: string }>, added: VocabularyEntry[]): (name: string) => number | undefined {
  return (name) => {
    const known = svc.vocabulary.find(name)
    if (known !== undefined) return known
    let reason = 'not in the vocabulary (import with --add-classes to add names GloVe knows)'
    if (options.addClasses) {
      const found = svc.vocabulary.lookup(name)
      if (found.kind === 'new') {
        const r = svc.vocabulary.resolveOrAdd(name, actor)
        if (r.added) added.push(r.added)
        return r.classId
      }
      if (found.kind === 'no-vector') reason = found.message
    }
    const u = unknown.get(name) ?? { count: 0, reason }
    u.count++
    unknown.set(name, u)
    return undefined
  }
}
