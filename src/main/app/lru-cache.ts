/** A small least-recently-used cache with an optional time to live (uploads, rendered photos). */

/** Options of {@link LruCache}. */
export interface LruOptions {
  /** Entries kept at most; the least recently used goes first. */
  max: number
  /** Entries older than this (since they were set) are gone; default: never. */
  ttlMs?: number
  /** Clock (tests); default `Date.now`. */
  now?: () => number
}

/** Least-recently-used cache. */
export class LruCache<K, V> {
  private readonly entries = new Map<K, { value: V; at: number }>()

  constructor(private readonly options: LruOptions) {}

  /** The value of `key` (which becomes the most recently used), if present and fresh. */
  get(key: K): V | undefined {
    const entry = this.entries.get(key)
    if (!entry) return undefined
    if (this.expired(entry.at)) {
      this.entries.delete(key)
      return undefined
    }
    this.entries.delete(key)
    this.entries.set(key, entry)
    return entry.value
  }

  /** Stores `value`, dropping expired entries and then the least recently used beyond `max`. */
  set(key: K, value: V): void {
    this.entries.delete(key)
    this.entries.set(key, { value, at: this.now() })
    for (const [k, e] of this.entries) if (this.expired(e.at)) this.entries.delete(k)
    while (this.entries.size > this.options.max) this.entries.delete(this.entries.keys().next().value as K)
  }

  /** Removes every entry. */
  clear(): void {
    this.entries.clear()
  }

  /** Entries held (expired ones included until the next `set`). */
  get size(): number {
    return this.entries.size
  }

  private now(): number {
    return (this.options.now ?? Date.now)()
  }

  private expired(at: number): boolean {
    return this.options.ttlMs !== undefined && this.now() - at > this.options.ttlMs
  }
}
