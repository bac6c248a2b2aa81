/**
 * Import and export of labels and boxes for the app, each a job of the one queue: progress per
 * photo, the report in the job's `detail`. An import writes through the app's annotation service
 * (every change a logged, revertible edit by "import:<format>") and then refreshes the views and
 * the object index; an export streams page by page (memory stays flat, no time limit) and can be
 * cancelled (it leaves no half-written file behind).
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { ExportReport, ImportReport, ParsedRequest } from '../../shared/api-contract.js'
import { ApiError } from '../../shared/envelope.js'
import { exportLibrary, type ExportSummary } from '../engine/interchange/export-library.js'
import { importGroundTruth, type ImportSummary } from '../engine/interchange/import-ground-truth.js'
import type { Library } from '../engine/library/library.js'
import type { AnnotationApp } from './annotation-app.js'
import type { JobManager } from './job-manager.js'

/** An import's summary as the job reports it. */
export function importReport(s: ImportSummary): ImportReport {
  return {
    format: s.format, records: s.records, matchedPhotos: s.matchedPhotos, unmatched: s.unmatched, unknownClasses: s.unknownClasses,
    addedClasses: s.addedClasses.map((c) => c.name), labelsSet: s.labelsSet, boxesAdded: s.boxesAdded, photosChanged: s.photosChanged, dryRun: s.dryRun,
  }
}

/** An export's summary as the job reports it. */
export function exportReport(s: ExportSummary): ExportReport {
  return { format: s.format, out: s.out, files: s.files, photos: s.photos, labels: s.labels, boxes: s.boxes, skipped: s.skipped, seconds: s.seconds }
}

/** The interchange channels over one open library. */
export class InterchangeApp {
  constructor(
    private readonly lib: Library,
    private readonly jobs: JobManager,
    private readonly annotation: AnnotationApp,
  ) {}

  /** Queues an import; its report arrives in the job's detail, its photos in `library.changed`. */
  import(r: ParsedRequest<'interchange.import'>): { jobId: number } {
    const input = absolute(r.path)
    if (!existsSync(input)) throw new ApiError('not-found', `there is no file or folder ${input} on this machine`)
    const title = `${r.dryRun ? 'Checking' : 'Importing'} ${r.format.toUpperCase()} labels from ${input}`
    const job = this.jobs.runTask({ kind: 'import', title, args: { ...r, path: input } }, async (ctx) => {
      ctx.current(input)
      const summary = await importGroundTruth(this.annotation.service, {
        format: r.format, input, negatives: r.negatives, addClasses: r.addClasses, dryRun: r.dryRun,
        onProgress: (done, total) => ctx.progress(done, total),
      })
      this.afterImport(summary.editIds)
      ctx.detail({ kind: 'import', report: importReport(summary) })
      if (summary.records > 0 && summary.matchedPhotos === 0) {
        throw new Error(`none of the ${summary.records} images in ${input} is a photo of this library (matched by path or file name): add their folder first`)
      }
    })
    return { jobId: job.id }
  }

  /** Queues an export; its report arrives in the job's detail. */
  export(r: ParsedRequest<'interchange.export'>): { jobId: number } {
    const out = absolute(r.path)
    if (!existsSync(path.dirname(out))) throw new ApiError('not-found', `the folder ${path.dirname(out)} does not exist`)
    const job = this.jobs.runTask({ kind: 'export', title: `Exporting labels as ${r.format.toUpperCase()} to ${out}`, args: { ...r, path: out } }, async (ctx) => {
      ctx.current(out)
      const summary = await exportLibrary(this.lib.store.db, this.annotation.service.vocabulary, {
        format: r.format, out, includeModel: r.includeModel, force: r.force, signal: ctx.signal,
        onProgress: (done, total) => ctx.progress(done, total),
      })
      ctx.detail({ kind: 'export', report: exportReport(summary) })
    })
    return { jobId: job.id }
  }

  /** The photos and boxes an import's edits changed: views refresh, removed boxes leave the object index. */
  private afterImport(editIds: number[]): void {
    const photoIds = new Set<number>()
    const removedObjectIds: number[] = []
    for (const id of editIds) {
      for (const e of this.annotation.service.repos.log.editWithEntries(id)?.entries ?? []) {
        photoIds.add(e.photoId)
        if (e.target === 'box' && e.before && !e.after) removedObjectIds.push(e.objectId)
      }
    }
    this.annotation.applied({ photoIds: [...photoIds], addedObjectIds: [], removedObjectIds })
  }
}

function absolute(p: string): string {
  if (!path.isAbsolute(p)) throw new ApiError('bad-request', `give an absolute path (got ${p})`)
  return path.resolve(p)
}
