/**
 * One photo's ground truth as changes of an import edit: the boxes in the photo's pixels, the
 * label states the file gives (box classes positive, declared classes it lacks negative), and the
 * photo's human boxes replaced by the file's unless they already are the same.
 */
import type { AnnotationService } from '../annotation/annotation-service.js'
import { checkBox } from '../annotation/annotation-service.js'
import type { EditSession } from '../annotation/edit-session.js'
import type { Box, LabelState } from '../store/types.js'
import type { GroundTruthRecord } from './ground-truth.js'
import type { MatchedPhoto } from './photo-matcher.js'
import type { PhotoSize } from './photo-size.js'

/** A box of the file in the photo's pixels. */
export interface PixelBox {
  name: string
  box: Box
}

/** What import applies to one photo. */
export interface PhotoTruth {
  photo: MatchedPhoto
  records: GroundTruthRecord[]
  boxes: PixelBox[]
}

/**
 * The records' boxes in the photo's pixels: normalised ones (YOLO) times the photo's size, pixel
 * ones scaled when the file gives another size for the photo (`resized`). 'size-unknown' when
 * normalised boxes meet a photo whose size cannot be read.
 */
export function desiredBoxes(records: readonly GroundTruthRecord[], size: PhotoSize | undefined): { boxes: PixelBox[]; resized: boolean } | 'size-unknown' {
  const boxes: PixelBox[] = []
  let resized = false
  for (const r of records) {
    const scale = size && r.width && r.height && (r.width !== size.width || r.height !== size.height)
      ? [size.width / r.width, size.height / r.height] : undefined
    if (scale) resized = true
    for (const b of r.boxes) {
      if (b.normalized) {
        if (!size) return 'size-unknown'
        boxes.push({ name: b.name, box: [b.box[0] * size.width, b.box[1] * size.height, b.box[2] * size.width, b.box[3] * size.height] })
      } else if (scale) {
        boxes.push({ name: b.name, box: [b.box[0] * scale[0], b.box[1] * scale[1], b.box[2] * scale[0], b.box[3] * scale[1]] })
      } else boxes.push({ name: b.name, box: b.box })
    }
  }
  return { boxes, resized }
}

const boxKey = (classId: number, box: Box): string => `${classId}:${box.map((v) => v.toFixed(3)).join(',')}`

/** Applies one photo's truth through the edit; returns how many labels were set, boxes added and removed, boxes outside the photo. */
export function applyPhoto(s: EditSession, svc: AnnotationService, t: PhotoTruth, resolve: (name: string) => number | undefined,
  declared: readonly string[] | null): { labels: number; added: number; removed: number; outside: number } {
  const photoId = t.photo.id
  const photo = s.photo(photoId)
  let outside = 0
  const boxes = t.boxes.flatMap((b) => {
    const classId = resolve(b.name)
    if (classId === undefined) return []
    try {
      return [{ classId, box: checkBox(b.box, photo) }]
    } catch {
      outside++ // wholly outside the photo (or empty): reported, not imported
      return []
    }
  })
  const states = new Map<number, LabelState>()
  if (declared && !t.records.some((r) => r.explicit)) {
    for (const name of declared) {
      const id = svc.vocabulary.find(name)
      if (id !== undefined) states.set(id, 'negative')
    }
  }
  for (const r of t.records) {
    for (const l of r.labels) {
      const id = resolve(l.name)
      if (id !== undefined) states.set(id, l.state)
    }
  }
  for (const b of boxes) states.set(b.classId, 'positive')
  let labels = 0
  for (const [classId, state] of states) if (s.label(photoId, classId, { state, origin: 'hand' })) labels++

  const existing = svc.repos.annotations.photoBoxes(photoId).filter((b) => b.source === 'human')
  const same = existing.map((b) => boxKey(b.classId, b.box)).sort().join('|') === boxes.map((b) => boxKey(b.classId, b.box)).sort().join('|')
  if (same) return { labels, added: 0, removed: 0, outside }
  for (const b of existing) s.box(photoId, b.id, null)
  const createdAt = svc.now()
  for (const b of boxes) s.box(photoId, null, { box: b.box, classId: b.classId, source: 'human', score: null, modelVersion: null, detectorOriginal: null, createdAt })
  s.followBoxes()
  return { labels, added: boxes.length, removed: existing.length, outside }
}
