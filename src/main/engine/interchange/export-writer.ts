/** What each export format's writer does, and what a format could not hold. */
import type { VocabularyItem } from '../annotation/vocabulary.js'
import type { ExportContent } from './export-content.js'
import type { ExportPhoto } from './library-pages.js'
import type { PhotoSize } from './photo-size.js'

/** Things a format has no way to write, counted so the summary can say so. */
export interface NotRepresentable {
  /** Positive labels of a class without a box in the photo (YOLO and VOC write boxes only). */
  labelsWithoutBox: number
  /** Negative and unknown labels (VOC has no way to say "no dog here"; YOLO only by an empty file). */
  otherStates: number
}

/** Writes one export, a photo at a time. */
export interface FormatWriter {
  /** Whether this format needs the photo's pixel size (photos of unknown size are skipped). */
  readonly needsSize: boolean
  readonly notRepresentable: NotRepresentable
  photo(p: ExportPhoto, content: ExportContent, size: PhotoSize | undefined): Promise<void>
  /** Completes the export; returns the files written. */
  finish(): Promise<string[]>
  /** Removes what an unfinished export wrote (file formats), or leaves a folder's files. */
  abort(): Promise<void>
}

/** What every writer is made with. */
export interface WriterSetup {
  out: string
  /** The vocabulary in export order (the head's classes, then the added names). */
  items: VocabularyItem[]
  baseNames: readonly string[]
  /** Folder the photos' relative file names are relative to. */
  root: string
}

/** A number written without float noise (boxes keep 1/1000 pixel, fractions 6 decimals). */
export const round = (v: number, decimals: number): number => Number(v.toFixed(decimals))
