/**
 * Real photos for model tests and benchmarks: the coco-dev set in ../shared/data/coco-dev,
 * decoded with sharp and letterboxed (aspect kept, centred, zero padding) to a square NHWC
 * float32 tensor with values 0..255.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'

/** The coco-dev folder (`$CONSTELLA_COCO_DEV`, else ../shared/data/coco-dev beside the project). */
export const COCO_DEV_DIR = process.env.CONSTELLA_COCO_DEV ??
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'data', 'coco-dev')

/** One image record of `labels.json`. */
export interface CocoDevImage {
  file: string
  width: number
  height: number
  labels: number[]
  boxes: [number, number, number, number, number][]
  split: 'val2017' | 'train2017'
}

/** The image records, optionally of one split, in file order. */
export function cocoDevImages(split?: CocoDevImage['split']): CocoDevImage[] {
  const labels = JSON.parse(readFileSync(path.join(COCO_DEV_DIR, 'labels.json'), 'utf8')) as { images: CocoDevImage[] }
  return labels.images.filter((i) => !split || i.split === split).sort((a, b) => a.file.localeCompare(b.file))
}

/** The 80 class names of coco-dev's labels.json. */
export function cocoDevClasses(): string[] {
  return (JSON.parse(readFileSync(path.join(COCO_DEV_DIR, 'labels.json'), 'utf8')) as { classes: string[] }).classes
}

/** A letterboxed image tensor and the mapping `input = original * scale + pad`. */
export interface LetterboxedImage {
  tensor: Float32Array
  dims: [1, number, number, 3]
  scale: number
  padX: number
  padY: number
}

/** Decodes `file` (absolute, or relative to coco-dev/images) and letterboxes it to `size`. */
export async function letterboxFile(file: string, size = 512): Promise<LetterboxedImage> {
  const full = path.isAbsolute(file) ? file : path.join(COCO_DEV_DIR, 'images', file)
  const meta = await sharp(full).metadata()
  const w = meta.width ?? 0
  const h = meta.height ?? 0
  const scale = Math.min(size / w, size / h)
  const width = Math.max(1, Math.min(size, Math.round(w * scale)))
  const height = Math.max(1, Math.min(size, Math.round(h * scale)))
  const padX = Math.floor((size - width) / 2)
  const padY = Math.floor((size - height) / 2)
  const { data } = await sharp(full)
    .removeAlpha()
    .toColourspace('srgb')
    .resize(width, height, { fit: 'fill' })
    .extend({ left: padX, right: size - width - padX, top: padY, bottom: size - height - padY, background: { r: 0, g: 0, b: 0 } })
    .raw()
    .toBuffer({ resolveWithObject: true })
  if (data.length !== size * size * 3) throw new Error(`${file}: decoded ${data.length} bytes, expected ${size * size * 3}`)
  return { tensor: Float32Array.from(data), dims: [1, size, size, 3], scale, padX, padY }
}
