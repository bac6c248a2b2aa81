/**
 * A photo's upright size in pixels: the one the library stored when it indexed the photo, else
 * read from the file's header (EXIF orientations 5-8 swap width and height), as boxes are in the
 * upright photo's pixels. Undefined when the file cannot be read.
 */
import sharp from 'sharp'

/** Width and height of a photo. */
export interface PhotoSize {
  width: number
  height: number
}

/** The stored size if known, else the file's (header only, no decoding). */
export async function photoSize(photo: { path: string; width: number | null; height: number | null }): Promise<PhotoSize | undefined> {
  if (photo.width && photo.height) return { width: photo.width, height: photo.height }
  try {
    const meta = await sharp(photo.path).metadata()
    if (!meta.width || !meta.height) return undefined
    const swap = (meta.orientation ?? 1) >= 5
    return swap ? { width: meta.height, height: meta.width } : { width: meta.width, height: meta.height }
  } catch {
    return undefined
  }
}
