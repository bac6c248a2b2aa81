/** Small formatters for numbers, sizes, durations and times as the views show them. */

/** A byte count for people: "980 B", "1.4 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit += 1
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`
}

/**
 * A count with thousands separators: "12,345". Integers are grouped here: `toLocaleString`'s
 * first call loads the locale data (~90 ms of the first grid paint on a busy 2-core machine).
 */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US')
  const digits = String(Math.abs(n)).replace(/\B(?=(\d{3})+$)/g, ',')
  return n < 0 ? `-${digits}` : digits
}

/** "1 photo" / "3 photos". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`
}

/** A duration in seconds for an ETA: "12 s", "4 min", "1 h 05 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—'
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`
  const minutes = Math.round(seconds / 60)
  if (minutes < 60) return `${minutes} min`
  const h = Math.floor(minutes / 60)
  return `${h} h ${String(minutes % 60).padStart(2, '0')} min`
}

/** A rate of photos per second: "3.2 photos/s", "0.4 photos/s". */
export function formatRate(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return '—'
  return `${rate >= 10 ? Math.round(rate) : rate.toFixed(1)} photos/s`
}

/** A 0..1 fraction as a whole percentage: "42%". */
export function formatPercent(fraction: number): string {
  return `${Math.round(Math.max(0, Math.min(1, fraction)) * 100)}%`
}

/** A score 0..1 with two decimals: "0.87". */
export function formatScore(score: number | null): string {
  return score === null ? '—' : score.toFixed(2)
}

/** A past time relative to `now`: "just now", "5 min ago", "3 h ago", else the date. */
export function formatWhen(at: number, now = Date.now()): string {
  const s = (now - at) / 1000
  if (s < 45) return 'just now'
  if (s < 3600) return `${Math.round(s / 60)} min ago`
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`
  return new Date(at).toLocaleString()
}

/** The last part of a path (folder or file name), for compact display. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]+/).filter(Boolean)
  return parts.length ? parts[parts.length - 1] : path
}

/**
 * Splits `text` before its last path segment, for a middle ellipsis: the head may be cut, the
 * tail (the last folder or file name, with its leading separator) stays visible.
 * "Indexing /a/b/photos" -> ["Indexing /a/b", "/photos"]; text without a separator -> [text, ""].
 */
export function splitAtLastSegment(text: string): [head: string, tail: string] {
  const trimmed = text.replace(/[\\/]+$/, '')
  const cut = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'))
  if (cut <= 0) return [text, '']
  return [text.slice(0, cut), text.slice(cut)]
}
