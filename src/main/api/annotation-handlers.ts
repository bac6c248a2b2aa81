/** Handlers of the annotation, interchange and training channels (thin: the work is in `ApiServices`). */
import { ApiError } from '../../shared/envelope.js'
import type { ApiHandlers } from './handlers.js'

type Channel =
  | 'annotations.get' | 'labels.set' | 'labels.add' | 'labels.batch' | 'boxes.add' | 'boxes.update' | 'boxes.delete'
  | 'photos.review' | 'edits.undo' | 'edits.redo' | 'edits.state' | 'edits.history' | 'review.queue'
  | 'vocabulary.list' | 'vocabulary.check' | 'interchange.import' | 'interchange.export'
  | 'train.start' | 'heads.list' | 'heads.activate' | 'heads.rollback'

const notYet = (): never => {
  throw new ApiError('unsupported', 'this channel is being built')
}

/** One handler per annotation/interchange/training channel. */
export const annotationHandlers: Pick<ApiHandlers, Channel> = {
  'annotations.get': notYet, 'labels.set': notYet, 'labels.add': notYet, 'labels.batch': notYet,
  'boxes.add': notYet, 'boxes.update': notYet, 'boxes.delete': notYet, 'photos.review': notYet,
  'edits.undo': notYet, 'edits.redo': notYet, 'edits.state': notYet, 'edits.history': notYet,
  'review.queue': notYet, 'vocabulary.list': notYet, 'vocabulary.check': notYet,
  'interchange.import': notYet, 'interchange.export': notYet,
  'train.start': notYet, 'heads.list': notYet, 'heads.activate': notYet, 'heads.rollback': notYet,
}
