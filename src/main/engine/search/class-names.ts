/**
 * Class names typed by a user (`--with dog,"dining table"`) to class ids, with the nearest known
 * names offered when one is not recognised.
 */

/** A class name that is not in the label set; `suggestions` are the nearest known names. */
export class UnknownClassError extends Error {
  constructor(readonly input: string, readonly suggestions: string[]) {
    super(`unknown class "${input}"${suggestions.length ? ` (did you mean: ${suggestions.join(', ')}?)` : ''}`)
    this.name = 'UnknownClassError'
  }
}

/** Edit distance (insert, delete, substitute) between two short strings. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    prev = row
  }
  return prev[b.length]
}

const normalise = (s: string): string => s.trim().toLowerCase().replace(/[\s_-]+/g, ' ')

/** Up to `limit` known names nearest to `input`: containing it or within a few edits, closest first. */
export function nearClassNames(input: string, classNames: readonly string[], limit = 5): string[] {
  const q = normalise(input)
  const scored = classNames.map((name) => {
    const n = normalise(name)
    const d = editDistance(q, n)
    const contains = q.length >= 3 && (n.includes(q) || q.includes(n))
    return { name, d: contains ? Math.min(d, 1) : d }
  })
  const budget = Math.max(2, Math.floor(q.length / 3))
  return scored.filter((s) => s.d <= budget).sort((x, y) => x.d - y.d || x.name.localeCompare(y.name)).slice(0, limit).map((s) => s.name)
}

/**
 * Class ids of `names` (each entry may itself be a comma-separated list; case, spaces and
 * underscores are forgiven: "Dining_Table" is "dining table"). Throws `UnknownClassError`.
 */
export function parseClassNames(names: readonly string[], classNames: readonly string[]): number[] {
  const byName = new Map(classNames.map((n, i) => [normalise(n), i]))
  const ids: number[] = []
  for (const entry of names) {
    for (const raw of entry.split(',')) {
      if (!raw.trim()) continue
      const id = byName.get(normalise(raw))
      if (id === undefined) throw new UnknownClassError(raw.trim(), nearClassNames(raw, classNames))
      if (!ids.includes(id)) ids.push(id)
    }
  }
  return ids
}
