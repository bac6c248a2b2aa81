/** Import and export of labels and boxes: COCO JSON (and coco-dev), YOLO, Pascal VOC, CSV, JSONL. */
export { importGroundTruth, type ImportOptions, type ImportSummary } from './import-ground-truth.js'
export { exportLibrary, type ExportOptions, type ExportSummary } from './export-library.js'
export { readGroundTruth } from './read-ground-truth.js'
export { FormatError } from './format-error.js'
export { FORMATS, type InterchangeFormat, type GroundTruthRecord, type GroundTruthSource } from './ground-truth.js'
export type { NotRepresentable } from './export-writer.js'
