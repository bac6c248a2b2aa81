/**
 * The colour and draw layer of every point of the map, as typed arrays: by scene (the scene
 * palette), or by one label (photos with it on top, the rest grey); a lasso selection dims the
 * rest. Pure.
 */
import { NO_SCENE_COLOR, sceneColor } from '../scenes/scene-colors.js'
import { packRgba, parseColor } from './map-raster.js'

/** Colour of the photos that have the chosen label. */
export const LABEL_COLOR = '#e8590c'
/** Colour of the photos without it. */
export const OTHER_COLOR = '#9aa3ad'

/** What the colours are computed from. */
export interface ColorInput {
  count: number
  scenes: Uint8Array
  /** 1 where the photo has the chosen label; null to colour by scene. */
  label: Uint8Array | null
  /** Selected point indices (empty: no selection). */
  selection: Int32Array
}

function packed(css: string, alpha: number): number {
  const [r, g, b] = parseColor(css)
  return packRgba(r, g, b, alpha)
}

/** The packed colour of each of the 256 scene bytes at `alpha`. */
export function scenePalette(alpha = 255): Uint32Array {
  const out = new Uint32Array(256)
  for (let k = 0; k < 256; k++) out[k] = packed(k === 255 ? NO_SCENE_COLOR : sceneColor(k), alpha)
  return out
}

/** Colours and layers (1 = drawn on top) of every point. */
export function pointColors(input: ColorInput): { colors: Uint32Array; layer: Uint8Array } {
  const { count, scenes, label, selection } = input
  const colors = new Uint32Array(count)
  const layer = new Uint8Array(count)
  const dimmed = selection.length > 0
  const full = scenePalette(255)
  const faint = scenePalette(60)
  const hit = packed(LABEL_COLOR, 255)
  const hitFaint = packed(LABEL_COLOR, 70)
  const miss = packed(OTHER_COLOR, dimmed ? 50 : 110)
  const missSelected = packed(OTHER_COLOR, 255)
  for (let i = 0; i < count; i++) {
    if (label) {
      const has = label[i] === 1
      colors[i] = has ? hit : miss
      layer[i] = has && !dimmed ? 1 : 0
    } else {
      colors[i] = dimmed ? faint[scenes[i]] : full[scenes[i]]
    }
  }
  if (dimmed) {
    if (label) for (let i = 0; i < count; i++) if (colors[i] === hit) colors[i] = hitFaint
    for (const i of selection) {
      colors[i] = label ? (label[i] === 1 ? hit : missSelected) : full[scenes[i]]
      layer[i] = 1
    }
  }
  return { colors, layer }
}

/** Photos per scene byte (for the legend). */
export function sceneCounts(scenes: Uint8Array, count = scenes.length): Map<number, number> {
  const counts = new Map<number, number>()
  for (let i = 0; i < count; i++) counts.set(scenes[i], (counts.get(scenes[i]) ?? 0) + 1)
  return counts
}
