/** One colour per scene, the same on the scene cards, the heatmap picker and the map legend. */
import { interpolateSinebow, schemeTableau10 } from 'd3-scale-chromatic'

/** The colour of photos without a scene (scene byte 255 on the map). */
export const NO_SCENE_COLOR = '#8a8f98'

/** Scene `k`'s colour: Tableau 10 for the first ten, then evenly spaced sinebow hues. */
export function sceneColor(k: number): string {
  if (k < 0 || k === 255) return NO_SCENE_COLOR
  if (k < schemeTableau10.length) return schemeTableau10[k]
  return interpolateSinebow(((k - schemeTableau10.length) * 0.618034) % 1)
}
