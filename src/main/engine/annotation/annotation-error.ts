/** Why an annotation request was refused; `code` lets the app map it to its error envelope. */

/** What went wrong. */
export type AnnotationErrorCode =
  | 'no-such-photo' | 'no-such-object' | 'no-such-class' | 'no-such-edit' | 'bad-box' | 'bad-name'
  | 'no-word-vector' | 'conflict' | 'nothing-to-undo' | 'nothing-to-redo' | 'bad-request'

/** A refused annotation request; nothing was written. */
export class AnnotationError extends Error {
  override readonly name = 'AnnotationError'

  constructor(
    readonly code: AnnotationErrorCode,
    message: string,
  ) {
    super(message)
  }
}
