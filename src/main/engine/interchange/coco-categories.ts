/**
 * COCO's own category ids (1..90 with gaps, as in instances_*.json), so that an export of the
 * head's 80 COCO classes is read by COCO tools (pycocotools) as COCO. Other classes: an added
 * vocabulary entry keeps its class id (>= 1000); a head that is not COCO's gets class id + 1.
 */
import { COCO_CLASSES } from '../../../shared/class-names.js'

/** COCO 2017 category id of each of the 80 classes, in COCO_CLASSES order. */
export const COCO_CATEGORY_IDS: readonly number[] = Object.freeze([
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 27, 28, 31, 32, 33, 34,
  35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63,
  64, 65, 67, 70, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 84, 85, 86, 87, 88, 89, 90,
])

/** The category id export uses for a class of a vocabulary whose head classes are `baseNames`. */
export function categoryIdOf(classId: number, baseNames: readonly string[]): number {
  if (classId >= baseNames.length) return classId
  const coco = baseNames.length === COCO_CLASSES.length && baseNames.every((n, i) => n === COCO_CLASSES[i])
  return coco ? COCO_CATEGORY_IDS[classId] : classId + 1
}
