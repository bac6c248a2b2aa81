/**
 * Import and export of labels and boxes (`interchange.import` / `interchange.export`): the
 * dialog's form (direction, format, a path on the engine's machine, options), the request it
 * sends, and the job it started, whose report arrives in the job's `detail`.
 */
import type { ApiRequest, ExportReport, ImportReport, JobInfo } from '../../../shared/api-contract.js'
import { call } from '../api.js'
import { errorMessage } from './toasts.svelte.js'

/** A label file format. */
export type InterchangeFormat = 'coco' | 'yolo' | 'voc' | 'csv' | 'jsonl'
/** Import into the library, or export from it. */
export type InterchangeMode = 'import' | 'export'

/** What each format is and where it lives. */
export interface FormatInfo {
  value: InterchangeFormat
  label: string
  /** A single file, or a folder of files (one per photo). */
  target: 'file' | 'folder'
  /** The file name suggested when a folder is picked (file formats). */
  fileName: string
  /** Import also takes the other kind (a single YOLO txt or VOC XML file). */
  importTakesFile: boolean
}

/** The formats, in menu order. */
export const FORMATS: readonly FormatInfo[] = [
  { value: 'coco', label: 'COCO JSON', target: 'file', fileName: 'labels.coco.json', importTakesFile: true },
  { value: 'yolo', label: 'YOLO txt (folder)', target: 'folder', fileName: 'yolo', importTakesFile: true },
  { value: 'voc', label: 'Pascal VOC XML (folder)', target: 'folder', fileName: 'voc', importTakesFile: true },
  { value: 'csv', label: 'CSV', target: 'file', fileName: 'labels.csv', importTakesFile: true },
  { value: 'jsonl', label: 'JSONL (with label states)', target: 'file', fileName: 'labels.jsonl', importTakesFile: true },
]

/** The info of a format. */
export function formatInfo(format: InterchangeFormat): FormatInfo {
  return FORMATS.find((f) => f.value === format) ?? FORMATS[0]
}

/** The path to use after a folder was picked in the browser: the folder, or a file in it. */
export function pathInFolder(folder: string, format: InterchangeFormat): string {
  const info = formatInfo(format)
  if (info.target === 'folder') return folder
  return `${folder.replace(/[\\/]+$/, '')}${folder.includes('\\') && !folder.includes('/') ? '\\' : '/'}${info.fileName}`
}

/** The form of the import/export dialog. */
export interface InterchangeForm {
  mode: InterchangeMode
  format: InterchangeFormat
  path: string
  negatives: 'declared' | 'none'
  addClasses: boolean
  dryRun: boolean
  includeModel: boolean
  force: boolean
}

/** The request a form sends. */
export function importRequest(form: InterchangeForm): ApiRequest<'interchange.import'> {
  return { format: form.format, path: form.path.trim(), negatives: form.negatives, addClasses: form.addClasses, dryRun: form.dryRun }
}

/** The request a form sends. */
export function exportRequest(form: InterchangeForm): ApiRequest<'interchange.export'> {
  return { format: form.format, path: form.path.trim(), includeModel: form.includeModel, force: form.force }
}

/** The report of a finished interchange job, by direction. */
export function jobReport(job: JobInfo | null): { kind: 'import'; report: ImportReport } | { kind: 'export'; report: ExportReport } | null {
  const d = job?.detail
  if (d?.kind === 'import') return { kind: 'import', report: d.report }
  if (d?.kind === 'export') return { kind: 'export', report: d.report }
  return null
}

/** The import/export dialog's state. */
export class InterchangeManager implements InterchangeForm {
  open = $state(false)
  mode = $state<InterchangeMode>('export')
  format = $state<InterchangeFormat>('coco')
  path = $state('')
  negatives = $state<'declared' | 'none'>('declared')
  addClasses = $state(false)
  dryRun = $state(false)
  includeModel = $state(false)
  force = $state(false)
  /** The job this dialog started last (its progress and report come from the jobs list). */
  jobId = $state<number | null>(null)
  error = $state<string | null>(null)
  pending = $state(false)

  /** Opens the dialog for a direction. */
  show(mode: InterchangeMode): void {
    if (this.mode !== mode) this.jobId = null
    this.mode = mode
    this.error = null
    this.open = true
  }

  /** Sends the request; resolves to the job id, or null with {@link error} set. */
  async run(): Promise<number | null> {
    if (this.path.trim() === '') {
      this.error = `Give the path of the ${formatInfo(this.format).target === 'folder' ? 'folder' : 'file'} on the machine running Constella.`
      return null
    }
    this.pending = true
    try {
      const { jobId } = this.mode === 'import' ? await call('interchange.import', importRequest(this)) : await call('interchange.export', exportRequest(this))
      this.jobId = jobId
      this.error = null
      return jobId
    } catch (err) {
      this.error = errorMessage(err)
      return null
    } finally {
      this.pending = false
    }
  }
}
