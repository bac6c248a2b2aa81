import { afterAll, describe, expect, it } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { OnnxGraphBuilder, attr } from '../../../../src/main/engine/onnx/graph-builder.js'
import type { ModelManifest } from '../../../../src/main/engine/models/manifest.js'
import { defaultPackDir } from '../../../../src/main/engine/models/pack.js'
import { decodePhoto } from '../../../../src/main/engine/pipeline/decode.js'
import { BackboneExtractor, backboneInput, parseBackbonePreprocessing } from '../../../../src/main/engine/pipeline/backbone.js'
import { OrtRunner } from '../../../support/ort-runner.js'

const PHOTO = '/work/shared/data/coco-dev/images/000000000139.jpg' // 640 x 426
const PACK = defaultPackDir() // resources/models, or $CONSTELLA_MODELS

/** A stand-in backbone on 32x32 NHWC input: `pooled` = per-channel mean [1,3], `mixed5` = the input as NCHW. */
function tinyBackbone(): Uint8Array {
  const g = new OnnxGraphBuilder('tiny-backbone')
  const images = g.input('images', 'FLOAT', [1, 32, 32, 3])
  g.op('ReduceMean', [images], { axes: attr.ints([1, 2]), keepdims: attr.int(0) }, 'pooled')
  g.op('Transpose', [images], { perm: attr.ints([0, 3, 1, 2]) }, 'mixed5')
  g.output('pooled', 'FLOAT', [1, 3])
  g.output('mixed5', 'FLOAT', [1, 3, 32, 32])
  return g.encode()
}

const runner = new OrtRunner({ tiny: tinyBackbone() })
afterAll(() => runner.dispose())

describe('BackboneExtractor', () => {
  it('resizes, scales to 0..1 and returns exactly the requested outputs', async () => {
    const photo = await decodePhoto(PHOTO)
    const extractor = new BackboneExtractor(runner, 'tiny', { size: 32, scale: 1 / 255 })
    const out = await extractor.extract(photo, ['pooled', 'mixed5'])
    expect(Object.keys(out).sort()).toEqual(['mixed5', 'pooled'])
    expect([out.pooled.dims, out.mixed5.dims]).toEqual([[1, 3], [1, 3, 32, 32]])
    expect((out.mixed5.data as Float32Array).every((v) => v >= 0 && v <= 1)).toBe(true)
    // A plain resize keeps the mean colour of the photo.
    for (let c = 0; c < 3; c++) {
      let sum = 0
      for (let i = c; i < photo.rgb.length; i += 3) sum += photo.rgb[i]
      expect((out.pooled.data as Float32Array)[c]).toBeCloseTo(sum / (photo.rgb.length / 3) / 255, 2)
    }
    const only = await extractor.extract(photo, ['pooled'])
    expect(Object.keys(only)).toEqual(['pooled'])
    expect(runner.calls.at(-1)!.fetches).toEqual(['pooled'])
  })

  it('applies range and per-channel mean/std normalisation', async () => {
    const photo = { rgb: new Uint8Array([0, 51, 255, 0, 51, 255, 0, 51, 255, 0, 51, 255]), width: 2, height: 2 }
    const p = parseBackbonePreprocessing({ size: 2, range: [-1, 1] })
    expect(Array.from((await backboneInput(photo, p)).tensor.subarray(0, 3))).toEqual([-1, -0.6, 1].map(Math.fround))
    const imagenet = parseBackbonePreprocessing({ inputSize: 2, layout: 'NCHW', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] })
    const t = await backboneInput(photo, imagenet)
    expect(t.dims).toEqual([1, 3, 2, 2])
    expect(t.tensor[0]).toBeCloseTo(-0.485 / 0.229, 5) // R plane
    expect(t.tensor[4]).toBeCloseTo((0.2 - 0.456) / 0.224, 5) // G plane
    expect(t.tensor[8]).toBeCloseTo((1 - 0.406) / 0.225, 5) // B plane
  })

  it('explains bad preprocessing records', () => {
    expect(() => parseBackbonePreprocessing({ scale: 1 })).toThrow(/needs an integer input "size"/)
    expect(() => parseBackbonePreprocessing({ size: 299, layout: 'CHW' })).toThrow(/layout" must be NHWC or NCHW/)
    expect(() => parseBackbonePreprocessing({ size: 299, scale: 2 })).toThrow(/"scale" must be 1, 1\/255, 255 or "lo..hi"/)
    expect(() => parseBackbonePreprocessing({ size: 299, resize: 'nearest' })).toThrow(/"resize" must be stretch, bilinear or letterbox/)
    expect(() => parseBackbonePreprocessing({ size: 299, mean: [1, 2] })).toThrow(/"mean" must be three numbers/)
    expect(parseBackbonePreprocessing({ width: 224, height: 224, scale: 255 })).toMatchObject({ size: 224, range: [0, 255], layout: 'NHWC', resize: 'stretch' })
  })

  it('reads the preprocessing records the pack converters write', () => {
    // As written for inception-v3 by src/main/engine/models/convert/tfjs-layers/nsfwjs-backbone.ts.
    const nsfwjs = { size: 299, layout: 'NHWC', colour: 'RGB', scale: '0..1', divideBy: 255, resize: 'bilinear', alignCorners: true, keepAspect: false, note: '...' }
    expect(parseBackbonePreprocessing(nsfwjs)).toEqual({ inputName: 'images', size: 299, layout: 'NHWC', colour: 'RGB', resize: 'stretch', range: [0, 1], mean: undefined, std: undefined })
    expect(parseBackbonePreprocessing({ size: 224, scale: '-1..1' }).range).toEqual([-1, 1])
    expect(parseBackbonePreprocessing({ size: 224, divideBy: 1 }).range).toEqual([0, 255])
    expect(parseBackbonePreprocessing({ size: 512, scale: '0..255', letterbox: true }).resize).toBe('letterbox')
  })

  it('swaps to BGR for models that want it', async () => {
    const photo = { rgb: new Uint8Array([10, 20, 30]), width: 1, height: 1 }
    for (const layout of ['NHWC', 'NCHW'] as const) {
      const t = await backboneInput(photo, parseBackbonePreprocessing({ size: 1, layout, colour: 'BGR', scale: 255 }))
      expect(Array.from(t.tensor)).toEqual([30, 20, 10])
    }
  })

  it('fails clearly on an output the model does not have', async () => {
    const photo = await decodePhoto(PHOTO)
    await expect(new BackboneExtractor(runner, 'tiny', { size: 32 }).extract(photo, ['mixed10'])).rejects.toThrow(/mixed10/)
  })
})

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0
  let na = 0
  let nb = 0
  for (let i = 0; i < a.length; i++) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i] }
  return dot / Math.sqrt(na * nb)
}

const manifestFile = path.join(PACK, 'manifest.json')
const manifest: ModelManifest | null = existsSync(manifestFile) ? JSON.parse(readFileSync(manifestFile, 'utf8')) as ModelManifest : null
const inception = manifest?.models.find((m) => m.name === 'inception-v3')

describe.skipIf(!inception || !existsSync(path.join(PACK, inception.file)))('BackboneExtractor on the real InceptionV3', () => {
  it('returns mixed5, mixed10 and pooled with the shapes the manifest declares', async () => {
    const real = new OrtRunner({ 'inception-v3': readFileSync(path.join(PACK, inception!.file)) })
    const extractor = new BackboneExtractor(real, 'inception-v3', inception!.preprocessing)
    const names = ['mixed5', 'mixed10', 'pooled']
    const out = await extractor.extract(await decodePhoto(PHOTO), names)
    // Keras InceptionV3: mixed5 is a 17x17x768 block, mixed10 8x8x2048.
    expect(names.map((n) => out[n].dims)).toEqual(names.map((n) => inception!.outputs.find((o) => o.name === n)!.shape))
    expect(out.mixed10.dims).toEqual([1, 2048, 8, 8])
    expect(out.pooled.dims).toEqual([1, 2048])
    expect((out.pooled.data as Float32Array).every(Number.isFinite)).toBe(true)
    // The same scene stored at twice the resolution gives (nearly) the same features: resizing is
    // consistent across photo sizes. (Small photos that must be enlarged drift more: a 320x213 copy
    // of this photo scores only 0.60 on the fine-tuned `pooled`, 0.96 on the frozen `mixed5`.)
    const double = path.join(tmpdir(), 'constella-backbone-double.jpg')
    await sharp(PHOTO).resize(1280, 852).jpeg({ quality: 95 }).toFile(double)
    const pooled = async (file: string): Promise<Float32Array> => (await extractor.extract(await decodePhoto(file), ['pooled'])).pooled.data as Float32Array
    const same = cosine(out.pooled.data as Float32Array, await pooled(double))
    const other = cosine(out.pooled.data as Float32Array, await pooled('/work/shared/data/coco-dev/images/000000104455.jpg'))
    expect(same).toBeGreaterThan(0.98)
    expect(other).toBeLessThan(0.9)
    await real.dispose()
  })
})
