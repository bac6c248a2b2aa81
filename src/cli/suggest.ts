/** "Did you mean" for the command line: the nearest valid word by edit distance. */

/** Levenshtein distance (insertions, deletions, substitutions; case-insensitive). */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase()
  const t = b.toLowerCase()
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j)
  for (let i = 1; i <= s.length; i++) {
    const row = [i]
    for (let j = 1; j <= t.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1))
    }
    prev = row
  }
  return prev[t.length]
}

/**
 * The candidate nearest to `word`, if it is near enough to be a likely typo: at most a third of
 * the word's length in edits (at least 1, at most 3), or a candidate that starts with the word.
 */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate)
    if (!best || distance < best.distance) best = { candidate, distance }
  }
  if (!best) return undefined
  const limit = Math.min(3, Math.max(1, Math.floor(word.replace(/^-+/, '').length / 3)))
  if (best.distance <= limit) return best.candidate
  const prefixed = candidates.filter((c) => word.length >= 3 && c.toLowerCase().startsWith(word.toLowerCase()))
  return prefixed.length === 1 ? prefixed[0] : undefined
}
