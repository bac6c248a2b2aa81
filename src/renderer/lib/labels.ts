/**
 * Label autocomplete over the head's class names (`AppInfo.classNames`, index = class id).
 */

/** A class the user can pick. */
export interface LabelOption {
  classId: number
  className: string
}

/**
 * Classes matching `query` (case-insensitive), best first: the exact name, names starting with
 * it, names with a word starting with it, then names containing it; ties in class order. An empty
 * query lists every class in name order. `exclude` (class ids already picked) are left out.
 */
export function suggestLabels(classNames: readonly string[], query: string, exclude: Iterable<number> = [], limit = 12): LabelOption[] {
  const skip = new Set(exclude)
  const q = query.trim().toLowerCase()
  const ranked: { option: LabelOption; rank: number }[] = []
  classNames.forEach((className, classId) => {
    if (skip.has(classId)) return
    const name = className.toLowerCase()
    let rank: number
    if (q === '') rank = 0
    else if (name === q) rank = 0
    else if (name.startsWith(q)) rank = 1
    else if (name.split(/[\s_-]+/).some((w) => w.startsWith(q))) rank = 2
    else if (name.includes(q)) rank = 3
    else return
    ranked.push({ option: { classId, className }, rank })
  })
  ranked.sort((a, b) =>
    q === '' ? a.option.className.localeCompare(b.option.className) : a.rank - b.rank || a.option.classId - b.option.classId,
  )
  return ranked.slice(0, limit).map((r) => r.option)
}

/** The class id of a typed name (exact, case-insensitive), or null. */
export function classIdOf(classNames: readonly string[], name: string): number | null {
  const q = name.trim().toLowerCase()
  const i = classNames.findIndex((c) => c.toLowerCase() === q)
  return i >= 0 ? i : null
}
