/** Colours of overlay marks, readable over photos in both colour schemes. */

/** Distinct hues for the classes of one photo, in order of first appearance. */
const CLASS_PALETTE = ['#ffd43b', '#4dd4ac', '#ff8cc6', '#74c0fc', '#ffa94d', '#b197fc', '#a9e34b', '#ff6b6b', '#66d9e8', '#e599f7']

/** The colour of class `classId` when a photo has more classes than the palette (golden-angle hues). */
export function classColor(classId: number): string {
  const hue = Math.round((classId * 137.508 + 48) % 360)
  return `hsl(${hue} 90% 62%)`
}

/**
 * One colour per class of a photo: the palette in order of first appearance (pass the classes
 * strongest object first), so the classes of one photo never share a colour while the palette lasts.
 */
export function classPalette(classIds: Iterable<number>): Map<number, string> {
  const colors = new Map<number, string>()
  for (const id of classIds) {
    if (colors.has(id)) continue
    colors.set(id, CLASS_PALETTE[colors.size] ?? classColor(id))
  }
  return colors
}

const PAIR_COLORS = ['#4dabf7', '#ff922b', '#51cf66', '#f06595', '#fcc419', '#845ef7', '#22b8cf', '#ff6b6b']

/** The colour of matched pair `n` (1-based) in an explanation. */
export function pairColor(n: number): string {
  return PAIR_COLORS[(n - 1 + PAIR_COLORS.length) % PAIR_COLORS.length]
}
