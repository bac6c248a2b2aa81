/**
 * Recognises a photo's file format from its first bytes (never from its name), so that a text
 * file called `.jpg`, a HEIC from a phone or an SVG is reported for what it is before any decoder
 * touches it.
 */

/** The formats the pipeline decodes (what sharp's prebuilt libvips reads). */
export type PhotoFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'tiff' | 'gif'

/** What the first bytes of a file say it is. */
export type SniffResult =
  | { kind: 'supported'; format: PhotoFormat }
  | { kind: 'unsupported'; format: string }
  | { kind: 'unknown' }

/** How many leading bytes `sniffFormat` wants to see. */
export const SNIFF_BYTES = 512

const HEVC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs'])
const AVIF_BRANDS = new Set(['avif', 'avis'])

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length))
}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b)
}

/** Brands of an ISO-BMFF `ftyp` box (HEIF, AVIF, JPEG XL container, MP4), or null if there is none. */
function ftypBrands(bytes: Uint8Array): string[] | null {
  if (bytes.length < 16 || ascii(bytes, 4, 4) !== 'ftyp') return null
  const boxSize = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0
  const end = Math.min(boxSize || bytes.length, bytes.length)
  const brands = [ascii(bytes, 8, 4)]
  for (let at = 16; at + 4 <= end; at += 4) brands.push(ascii(bytes, at, 4))
  return brands
}

/** Bytes a file must have according to its own header, when the format says (WebP's RIFF size); else null. */
export function declaredFileSize(bytes: Uint8Array): number | null {
  if (bytes.length < 12 || ascii(bytes, 0, 4) !== 'RIFF' || ascii(bytes, 8, 4) !== 'WEBP') return null
  return (bytes[4] | (bytes[5] << 8) | (bytes[6] << 16) | (bytes[7] << 24)) + 8
}

/** Classifies a file by its leading bytes (pass at least `SNIFF_BYTES` of them when the file has that many). */
export function sniffFormat(bytes: Uint8Array): SniffResult {
  const supported = (format: PhotoFormat): SniffResult => ({ kind: 'supported', format })
  const unsupported = (format: string): SniffResult => ({ kind: 'unsupported', format })
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return supported('jpeg')
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return supported('png')
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return supported('webp')
  if (ascii(bytes, 0, 4) === 'GIF8') return supported('gif')
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return supported('tiff')
  const brands = ftypBrands(bytes)
  if (brands) {
    if (brands.some((b) => AVIF_BRANDS.has(b))) return supported('avif')
    if (brands.some((b) => HEVC_BRANDS.has(b))) return unsupported('HEIC')
    if (brands.includes('mif1') || brands.includes('msf1')) return unsupported('HEIF')
    if (brands.includes('jxl ')) return unsupported('JPEG XL')
    return unsupported(`an ISO media file (brand "${brands[0].trim()}"), such as a video`)
  }
  if (startsWith(bytes, [0xff, 0x0a]) || startsWith(bytes, [0, 0, 0, 0x0c, 0x4a, 0x58, 0x4c, 0x20])) return unsupported('JPEG XL')
  if (ascii(bytes, 0, 2) === 'BM') return unsupported('BMP')
  if (ascii(bytes, 0, 4) === '%PDF') return unsupported('PDF')
  if (ascii(bytes, 0, 4) === '8BPS') return unsupported('Photoshop PSD')
  if (startsWith(bytes, [0x00, 0x00, 0x01, 0x00])) return unsupported('ICO')
  if (startsWith(bytes, [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20])) return unsupported('JPEG 2000')
  const text = ascii(bytes, 0, Math.min(bytes.length, SNIFF_BYTES)).toLowerCase()
  if (/^(\xef\xbb\xbf)?\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!doctype svg[^>]*>\s*)?<svg/.test(text)) return unsupported('SVG')
  return { kind: 'unknown' }
}
