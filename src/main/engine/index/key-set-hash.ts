/**
 * Order-independent hash of a set of keys, kept up to date as keys come and go, so that a saved
 * index can be checked against the store by streaming only its keys (no vectors).
 */
import { toKey, type VectorKey } from './vector-source.js'

const TWO_32 = 2 ** 32

/** murmur3's 32-bit finaliser: a cheap, well-mixing bijection on 32-bit integers. */
function mix32(x: number): number {
  x ^= x >>> 16
  x = Math.imul(x, 0x85ebca6b)
  x ^= x >>> 13
  x = Math.imul(x, 0xc2b2ae35)
  x ^= x >>> 16
  return x >>> 0
}

/** Three independent 32-bit hashes of one key (lo and hi words both mixed in). */
function lanes(key: number): [number, number, number] {
  const lo = key >>> 0
  const hi = Math.floor(key / TWO_32) >>> 0
  const a = mix32(lo ^ mix32(hi ^ 0x9e3779b9))
  const b = mix32(a ^ 0x7f4a7c15 ^ mix32(hi + 0x632be5ab))
  const c = mix32(b ^ 0x165667b1 ^ lo)
  return [a, b, c]
}

/**
 * Multiset hash: two wrapping 32-bit sums and one xor of per-key hashes plus the count. Adding
 * then removing a key restores the previous value, so the hash can follow incremental edits.
 */
export class KeySetHash {
  private sumA = 0
  private sumB = 0
  private xorC = 0
  private n = 0

  /** Hash of every key of an iterable. */
  static of(keys: Iterable<VectorKey>): KeySetHash {
    const h = new KeySetHash()
    for (const k of keys) h.add(k)
    return h
  }

  /** Inverse of `toString()`; undefined when `text` is not a key-set hash. */
  static parse(text: string): KeySetHash | undefined {
    const m = /^(\d+):([0-9a-f]{8})-([0-9a-f]{8})-([0-9a-f]{8})$/.exec(text)
    if (!m) return undefined
    const h = new KeySetHash()
    h.n = Number(m[1])
    h.sumA = parseInt(m[2], 16)
    h.sumB = parseInt(m[3], 16)
    h.xorC = parseInt(m[4], 16)
    return h
  }

  /** Accounts for one more key. */
  add(key: VectorKey): void {
    const [a, b, c] = lanes(toKey(key))
    this.sumA = (this.sumA + a) >>> 0
    this.sumB = (this.sumB + b) >>> 0
    this.xorC = (this.xorC ^ c) >>> 0
    this.n++
  }

  /** Accounts for a key that left the set (it must have been added before). */
  remove(key: VectorKey): void {
    const [a, b, c] = lanes(toKey(key))
    this.sumA = (this.sumA - a) >>> 0
    this.sumB = (this.sumB - b) >>> 0
    this.xorC = (this.xorC ^ c) >>> 0
    this.n--
  }

  /** Number of keys accounted for. */
  get count(): number {
    return this.n
  }

  /** Stable text form, e.g. `"3:0a1b2c3d-..."`, stored in the index's meta file. */
  toString(): string {
    const hex = (x: number): string => x.toString(16).padStart(8, '0')
    return `${this.n}:${hex(this.sumA)}-${hex(this.sumB)}-${hex(this.xorC)}`
  }
}
