/** Colours of overlay marks: one stable hue per class, readable over photos. */

/** The colour of class `classId` (golden-angle hues, so neighbouring ids differ). */
export function classColor(classId: number): string {
  const hue = Math.round((classId * 137.508 + 48) % 360)
  return `hsl(${hue} 90% 62%)`
}

const PAIR_COLORS = ['#4dabf7', '#ff922b', '#51cf66', '#f06595', '#fcc419', '#845ef7', '#22b8cf', '#ff6b6b']

/** The colour of matched pair `n` (1-based) in an explanation. */
export function pairColor(n: number): string {
  return PAIR_COLORS[(n - 1 + PAIR_COLORS.length) % PAIR_COLORS.length]
}
