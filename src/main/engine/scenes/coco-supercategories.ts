/**
 * COCO's supercategories of its 80 classes (from the COCO 2017 annotation files' `categories`),
 * by class name, for measuring how well scenes follow them.
 */
const GROUPS: Record<string, string[]> = {
  person: ['person'],
  vehicle: ['bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat'],
  outdoor: ['traffic light', 'fire hydrant', 'stop sign', 'parking meter', 'bench'],
  animal: ['bird', 'cat', 'dog', 'horse', 'sheep', 'cow', 'elephant', 'bear', 'zebra', 'giraffe'],
  accessory: ['backpack', 'umbrella', 'handbag', 'tie', 'suitcase'],
  sports: ['frisbee', 'skis', 'snowboard', 'sports ball', 'kite', 'baseball bat', 'baseball glove', 'skateboard', 'surfboard', 'tennis racket'],
  kitchen: ['bottle', 'wine glass', 'cup', 'fork', 'knife', 'spoon', 'bowl'],
  food: ['banana', 'apple', 'sandwich', 'orange', 'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake'],
  furniture: ['chair', 'couch', 'potted plant', 'bed', 'dining table', 'toilet'],
  electronic: ['tv', 'laptop', 'mouse', 'remote', 'keyboard', 'cell phone'],
  appliance: ['microwave', 'oven', 'toaster', 'sink', 'refrigerator'],
  indoor: ['book', 'clock', 'vase', 'scissors', 'teddy bear', 'hair drier', 'toothbrush'],
}

/** The 12 supercategory names, in a fixed order. */
export const SUPERCATEGORIES: readonly string[] = Object.keys(GROUPS)

const BY_CLASS = new Map<string, number>(Object.entries(GROUPS).flatMap(([, names], g) => names.map((n) => [n, g] as [string, number])))

/** The supercategory index (into {@link SUPERCATEGORIES}) of a COCO class name, or -1. */
export function supercategoryOf(className: string): number {
  return BY_CLASS.get(className) ?? -1
}

/**
 * A photo's dominant supercategory: the one whose boxes cover the most area (boxes `[class, x1,
 * y1, x2, y2]`); without boxes, the most frequent among its labels; -1 without either.
 */
export function dominantSupercategory(classNames: readonly string[], labels: readonly number[], boxes: readonly number[][]): number {
  const area = new Map<number, number>()
  for (const [c, x1, y1, x2, y2] of boxes) {
    const g = supercategoryOf(classNames[c] ?? '')
    if (g >= 0) area.set(g, (area.get(g) ?? 0) + Math.max(0, x2 - x1) * Math.max(0, y2 - y1))
  }
  if (area.size === 0) for (const c of labels) {
    const g = supercategoryOf(classNames[c] ?? '')
    if (g >= 0) area.set(g, (area.get(g) ?? 0) + 1)
  }
  let best = -1
  let bestArea = -1
  for (const [g, a] of [...area].sort((x, y) => x[0] - y[0])) if (a > bestArea) [best, bestArea] = [g, a]
  return best
}
