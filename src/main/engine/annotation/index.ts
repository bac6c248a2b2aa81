/** Annotation: correcting labels and boxes, the correction log, undo/redo, the review queue and the vocabulary. */
export { AnnotationService, checkBox, type AnnotationServiceOptions, type BatchLabelOp } from './annotation-service.js'
export { AnnotationError, type AnnotationErrorCode } from './annotation-error.js'
export type { EditResult, EditContext } from './edit-result.js'
export type { LabelView, BoxView, PhotoAnnotations, ReviewQueueOptions, ReviewQueuePage } from './annotation-reads.js'
export { Vocabulary, CLASS_SYNONYMS, normaliseName, type VocabularyItem, type NameLookup, type WordLookup } from './vocabulary.js'
export { packClassNames, packWordVectors, lazyPackWordVectors } from './pack-vocabulary.js'
export { UNDO_DEPTH, undoStacks, type UndoStacks } from './undo-history.js'
export { objectGroup, sameObject } from './object-groups.js'
