/**
 * The COCO class names of `@vladmandic/human`'s object detectors, read from the package's own
 * `src/object/labels.ts` so the class order is the one the model was trained with.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'

/** Reads the 80 class names in model order (class index k = entry with `class: k + 1`). */
export function readHumanObjectLabels(humanPackageDir: string): string[] {
  const file = path.join(humanPackageDir, 'src', 'object', 'labels.ts')
  const text = readFileSync(file, 'utf8')
  const entries = [...text.matchAll(/\{\s*class:\s*(\d+),\s*label:\s*'([^']+)'\s*\}/g)].map((m) => ({ id: Number(m[1]), label: m[2] }))
  if (entries.length !== 80 || entries.some((e, k) => e.id !== k + 1)) {
    throw new Error(`${file}: expected 80 labels with class ids 1..80 in order, found ${entries.length}`)
  }
  return entries.map((e) => e.label)
}
