/**
 * Evaluation datasets in the format of coco-dev's labels.json: {classes: [names], images: [{file,
 * width?, height?, labels: [class ids], split?}]}. Validated with zod; errors name the file and field.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { z } from 'zod'

const DatasetSchema = z.object({
  classes: z.array(z.string().min(1)).min(1),
  images: z.array(z.object({
    file: z.string().min(1),
    labels: z.array(z.number().int().nonnegative()),
    split: z.string().optional(),
  }).passthrough()).min(1),
}).passthrough()

/** One labelled image, with its absolute path. */
export interface DatasetImage {
  file: string
  path: string
  labels: number[]
  split?: string
}

/** A loaded dataset. */
export interface Dataset {
  classes: string[]
  images: DatasetImage[]
}

/** Loads and validates `labelsFile`; images resolve against `imagesDir` (default: images/ beside it). */
export function loadDataset(labelsFile: string, imagesDir?: string): Dataset {
  if (!existsSync(labelsFile)) throw new Error(`dataset file ${labelsFile} does not exist`)
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(labelsFile, 'utf8'))
  } catch (err) {
    throw new Error(`dataset file ${labelsFile} is not valid JSON: ${(err as Error).message}`)
  }
  const parsed = DatasetSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`dataset file ${labelsFile}: field ${issue.path.join('.') || '(root)'}: ${issue.message} (expected {"classes": [...], "images": [{"file", "labels": [class ids]}]})`)
  }
  const dir = imagesDir ?? path.join(path.dirname(labelsFile), 'images')
  const { classes, images } = parsed.data
  images.forEach((img, i) => {
    const bad = img.labels.find((l) => l >= classes.length)
    if (bad !== undefined) throw new Error(`dataset file ${labelsFile}: images.${i}.labels has class ${bad}, but there are only ${classes.length} classes`)
  })
  return { classes, images: images.map((img) => ({ file: img.file, path: path.resolve(dir, img.file), labels: img.labels, split: img.split })) }
}
