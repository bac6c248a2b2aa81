/**
 * Reading an outside photo in the renderer (drop, paste, file picker) for `uploads.add`.
 */

/** Largest photo accepted for search (the app refuses more than 20 MB decoded). */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024

/** Why a file cannot be used as a query, or null when it can. */
export function uploadProblem(file: { name: string; type: string; size: number }): string | null {
  if (file.size > MAX_UPLOAD_BYTES) return `${file.name} is larger than 20 MB; pick a smaller photo.`
  if (file.type && !file.type.startsWith('image/')) return `${file.name} is not a photo (${file.type}).`
  if (file.size === 0) return `${file.name} is empty.`
  return null
}

/** The base64 payload of a `data:` URL (what follows the comma). */
export function dataUrlPayload(dataUrl: string): string {
  const comma = dataUrl.indexOf(',')
  return comma >= 0 ? dataUrl.slice(comma + 1) : ''
}

/** Reads a file as base64 (FileReader, no copy in JS strings beyond the result). */
export function readAsBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(dataUrlPayload(String(reader.result)))
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'))
    reader.readAsDataURL(file)
  })
}

/** The first image file of a drop or paste, if any. */
export function firstImageFile(list: DataTransfer | null | undefined): File | null {
  if (!list) return null
  for (const file of Array.from(list.files ?? [])) if (file.type.startsWith('image/') || file.type === '') return file
  for (const item of Array.from(list.items ?? [])) {
    if (item.kind === 'file' && item.type.startsWith('image/')) return item.getAsFile()
  }
  return null
}
