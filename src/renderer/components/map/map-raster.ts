/**
 * Drawing the embedding map without one DOM node (or one canvas call) per photo: the view
 * transform (data -> CSS pixels, fit, zoom about a point, pan) and a rasteriser that stamps every
 * point as a small disc straight into an ImageData's pixels (one `putImageData` per frame). Pure:
 * the frame time is measured in Node by `bench/map-frame.ts`.
 */
import type { Bounds } from '../../lib/geometry/point-index.js'

/** screen = data * scale + t (CSS pixels; the same scale on both axes). */
export interface MapTransform {
  scale: number
  tx: number
  ty: number
}

/** The transform that shows `b` whole in a `width x height` box with `pad` pixels around it. */
export function fitTransform(b: Bounds, width: number, height: number, pad = 24): MapTransform {
  const w = Math.max(b.maxX - b.minX, 1e-9)
  const h = Math.max(b.maxY - b.minY, 1e-9)
  const scale = Math.max(1e-9, Math.min((width - 2 * pad) / w, (height - 2 * pad) / h))
  return { scale, tx: (width - w * scale) / 2 - b.minX * scale, ty: (height - h * scale) / 2 - b.minY * scale }
}

/** Zooms by `factor` keeping screen point (sx, sy) still; the scale stays within [min, max]. */
export function zoomAt(t: MapTransform, factor: number, sx: number, sy: number, min: number, max: number): MapTransform {
  const scale = Math.max(min, Math.min(max, t.scale * factor))
  const k = scale / t.scale
  return { scale, tx: sx - (sx - t.tx) * k, ty: sy - (sy - t.ty) * k }
}

/** Moves the view by (dx, dy) screen pixels. */
export function panBy(t: MapTransform, dx: number, dy: number): MapTransform {
  return { scale: t.scale, tx: t.tx + dx, ty: t.ty + dy }
}

/** The data point under screen point (sx, sy). */
export function toData(t: MapTransform, sx: number, sy: number): [number, number] {
  return [(sx - t.tx) / t.scale, (sy - t.ty) / t.scale]
}

/** The screen point of data point (x, y). */
export function toScreen(t: MapTransform, x: number, y: number): [number, number] {
  return [x * t.scale + t.tx, y * t.scale + t.ty]
}

/** Point radius in device pixels: bigger for small libraries and when zoomed in, 1..8. */
export function pointRadius(count: number, zoom: number, dpr: number): number {
  const base = count <= 2_000 ? 4.5 : count <= 20_000 ? 2.2 : 1.2
  return Math.max(1, Math.min(8, Math.round(base * dpr * Math.sqrt(Math.max(1, zoom)))))
}

/** Offsets (dx, dy interleaved) of the pixels of a disc of radius `r`. */
export function discStamp(r: number): Int32Array {
  const out: number[] = []
  const rr = (r + 0.4) * (r + 0.4)
  for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) if (dx * dx + dy * dy <= rr) out.push(dx, dy)
  return Int32Array.from(out)
}

/** An RGBA colour packed for a little-endian Uint32 view of ImageData (bytes R, G, B, A). */
export function packRgba(r: number, g: number, b: number, a = 255): number {
  return ((a << 24) | (b << 16) | (g << 8) | r) >>> 0
}

/** `#rgb`, `#rrggbb` or `rgb(r, g, b)` as [r, g, b]; grey for anything else. */
export function parseColor(css: string): [number, number, number] {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(css.trim())
  if (hex) {
    const h = hex[1].length === 3 ? [...hex[1]].map((c) => c + c).join('') : hex[1]
    return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)]
  }
  const rgb = /^rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)/i.exec(css.trim())
  return rgb ? [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])] : [128, 128, 128]
}

/** What one frame draws. */
export interface RasterInput {
  xy: Float32Array
  count: number
  /** Packed colour per point (see {@link packRgba}); alpha 0 hides the point. */
  colors: Uint32Array
  /** Optional draw layer per point (0 first, then 1 on top: highlighted points). */
  layer: Uint8Array | null
  /** The view transform in device pixels. */
  transform: MapTransform
  radius: number
}

/**
 * Clears `pixels` (a `width x height` Uint32 view of ImageData) and stamps every visible point.
 * Points outside the frame are skipped; discs are clipped at the edges.
 */
export function rasterizePoints(pixels: Uint32Array, width: number, height: number, input: RasterInput): void {
  pixels.fill(0)
  const { xy, count, colors, layer, transform, radius } = input
  const stamp = discStamp(radius)
  // The stamp as offsets into the pixel array, for points whose disc is wholly inside.
  const offsets = new Int32Array(stamp.length / 2)
  for (let s = 0; s < offsets.length; s++) offsets[s] = stamp[2 * s + 1] * width + stamp[2 * s]
  const { scale, tx, ty } = transform
  const passes = layer ? [0, 1] : [-1]
  for (const pass of passes) {
    for (let i = 0; i < count; i++) {
      if (pass >= 0 && layer![i] !== pass) continue
      const color = colors[i]
      if (color >>> 24 === 0) continue
      const cx = Math.round(xy[2 * i] * scale + tx)
      const cy = Math.round(xy[2 * i + 1] * scale + ty)
      if (cx < -radius || cy < -radius || cx >= width + radius || cy >= height + radius) continue
      if (cx >= radius && cy >= radius && cx < width - radius && cy < height - radius) {
        const base = cy * width + cx
        for (let s = 0; s < offsets.length; s++) pixels[base + offsets[s]] = color
        continue
      }
      for (let s = 0; s < stamp.length; s += 2) {
        const px = cx + stamp[s]
        const py = cy + stamp[s + 1]
        if (px >= 0 && py >= 0 && px < width && py < height) pixels[py * width + px] = color
      }
    }
  }
}
