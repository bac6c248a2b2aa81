/** Handlers of the annotation, interchange and training channels (thin: the work is in `ApiServices`). */
import type { ApiHandlers } from './handlers.js'

type Channel =
  | 'annotations.get' | 'labels.set' | 'labels.add' | 'labels.batch' | 'boxes.add' | 'boxes.update' | 'boxes.delete'
  | 'photos.review' | 'edits.undo' | 'edits.redo' | 'edits.state' | 'edits.history' | 'review.queue'
  | 'vocabulary.list' | 'vocabulary.check' | 'interchange.import' | 'interchange.export'
  | 'train.start' | 'heads.list' | 'heads.activate' | 'heads.rollback'

/** One handler per annotation/interchange/training channel. */
export const annotationHandlers: Pick<ApiHandlers, Channel> = {
  'annotations.get': (r, s) => s.annotation.get(r.photoId),
  'labels.set': (r, s) => s.annotation.setLabel(r),
  'labels.add': (r, s) => s.annotation.addLabel(r),
  'labels.batch': (r, s) => s.annotation.batch(r),
  'boxes.add': (r, s) => s.annotation.addBox(r),
  'boxes.update': (r, s) => s.annotation.updateBox(r),
  'boxes.delete': (r, s) => s.annotation.deleteBox(r),
  'photos.review': (r, s) => s.annotation.review(r),
  'edits.undo': (_r, s) => s.annotation.undo(),
  'edits.redo': (_r, s) => s.annotation.redo(),
  'edits.state': (_r, s) => s.annotation.state(),
  'edits.history': (r, s) => s.annotation.history(r),
  'review.queue': (r, s) => s.annotation.queue(r),
  'vocabulary.list': (_r, s) => s.annotation.vocabulary(),
  'vocabulary.check': (r, s) => s.annotation.check(r.name),
  'interchange.import': (r, s) => s.interchange.import(r),
  'interchange.export': (r, s) => s.interchange.export(r),
  'train.start': (r, s) => s.training.start(r),
  'heads.list': (_r, s) => s.training.heads(),
  'heads.activate': (r, s) => s.training.activate(r.id),
  'heads.rollback': (_r, s) => s.training.rollback(),
}
