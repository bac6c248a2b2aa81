import { appendFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { float32Tensor } from '../../../../src/main/engine/inference-types.js'
import { InferenceEngine } from '../../../../src/main/engine/worker/inference-client.js'
import { affineModel, argmaxModel, affineRow, plusOneModel, writeTestPack, type TestPack } from './test-pack.js'

describe('InferenceEngine (real child process, real onnxruntime)', () => {
  let pack: TestPack
  let engine: InferenceEngine

  beforeAll(() => {
    pack = writeTestPack({ affine: affineModel(), 'plus-one': plusOneModel(), argmax: argmaxModel(), tampered: plusOneModel() })
    engine = new InferenceEngine({ packDir: pack.dir, provider: 'webgpu' })
  })
  afterAll(async () => {
    await engine?.dispose()
    pack?.remove()
  })

  it('runs a model of the pack in a child process and returns typed arrays with known values', async () => {
    const out = await engine.run('affine', { x: float32Tensor(Float32Array.from([1, 2, 3, -1, 0, 0.5]), [2, 3]) })
    expect(Object.keys(out)).toEqual(['y'])
    expect(out.y.type).toBe('float32')
    expect(out.y.dims).toEqual([2, 2])
    expect(out.y.data).toBeInstanceOf(Float32Array)
    expect(Array.from(out.y.data as Float32Array)).toEqual([...affineRow([1, 2, 3]), ...affineRow([-1, 0, 0.5])])
    expect(engine.pid).toBeGreaterThan(0)
    expect(engine.pid).not.toBe(process.pid)
  })

  it('reports per model the provider that runs it: webgpu was requested, cpu runs it, and why', async () => {
    const info = await engine.info()
    expect(info.pid).toBe(engine.pid)
    expect(info.provider).toBe('webgpu')
    const affine = info.models.affine
    expect(affine.runs).toBe(1)
    expect(affine.inputNames).toEqual(['x'])
    expect(affine.outputNames).toEqual(['y'])
    expect(affine.provider.provider).toBe('cpu')
    expect(affine.provider.tried[0]).toMatchObject({ provider: 'webgpu', error: expect.stringMatching(/adapter/i) })
    expect(affine.provider.reason).toMatch(/fell back to cpu/)
    expect(info.models['plus-one']).toBeUndefined() // loaded lazily, on its first run
  })

  it('gives each of many concurrent requests its own answer', async () => {
    const rows = Array.from({ length: 24 }, (_, k) => [k, -k / 2, k % 5] as [number, number, number])
    const answers = await Promise.all(
      rows.map((row, k) =>
        k % 2 === 0
          ? engine.run('affine', { x: float32Tensor(Float32Array.from(row), [1, 3]) })
          : engine.run('plus-one', { x: float32Tensor(Float32Array.from(row), [3]) }),
      ),
    )
    answers.forEach((out, k) => {
      const expected = k % 2 === 0 ? affineRow(rows[k]) : rows[k].map((v) => v + 1)
      expect(Array.from(out.y.data as Float32Array)).toEqual(expected)
    })
    const info = await engine.info()
    expect(info.models['plus-one'].runs).toBe(12)
  })

  it('returns only the fetched outputs, int64 outputs as BigInt64Array', async () => {
    const x = float32Tensor(Float32Array.from([0.25, 9, -3, 7, 1, 2]), [2, 3])
    const both = await engine.run('argmax', { x })
    expect(Object.keys(both).sort()).toEqual(['idx', 'max'])
    expect(both.idx.type).toBe('int64')
    expect(both.idx.data).toBeInstanceOf(BigInt64Array)
    expect(Array.from(both.idx.data as BigInt64Array)).toEqual([1n, 0n])
    expect(Array.from(both.max.data as Float32Array)).toEqual([9, 7])
    const onlyIdx = await engine.run('argmax', { x }, ['idx'])
    expect(Object.keys(onlyIdx)).toEqual(['idx'])
  })

  it('rejects with the original message for an unknown model, a bad feed shape and an unknown input', async () => {
    await expect(engine.run('nope', { x: float32Tensor(new Float32Array(3), [1, 3]) })).rejects.toThrow(
      'model "nope" is not in the pack (have: affine, plus-one, argmax, tampered)',
    )
    const badShape = engine.run('affine', { x: float32Tensor(new Float32Array(4), [1, 4]) })
    await expect(badShape).rejects.toThrow(/Got invalid dimensions for input: x/)
    await expect(engine.run('affine', { z: float32Tensor(new Float32Array(3), [1, 3]) })).rejects.toThrow(/input 'x' is missing in 'feeds'/i)
    // The process survived all of it.
    expect((await engine.info()).models.affine.runs).toBeGreaterThan(0)
  })

  it('rejects a tampered model file with the integrity error naming the file and both hashes', async () => {
    appendFileSync(pack.file('tampered'), Buffer.from([0]))
    const entry = pack.manifest.models.find((m) => m.name === 'tampered')!
    const err = await engine.run('tampered', { x: float32Tensor(new Float32Array(1), [1]) }).catch((e: Error) => e)
    expect(err).toBeInstanceOf(Error)
    expect((err as Error).name).toBe('ModelIntegrityError')
    const message = (err as Error).message
    expect(message).toContain(pack.file('tampered'))
    expect(message).toContain(`expected sha256 ${entry.sha256}`)
    expect(message).toMatch(/found [0-9a-f]{64}/)
    expect(message).not.toContain(`found ${entry.sha256}`)
    expect(message).toContain('npm run build:models -- --force')
    expect((await engine.info()).models.tampered).toBeUndefined()
  })

  it('refuses work after dispose', async () => {
    const other = new InferenceEngine({ packDir: pack.dir, provider: 'cpu' })
    await other.run('plus-one', { x: float32Tensor(Float32Array.from([1]), [1]) })
    const pid = other.pid!
    await other.dispose()
    expect(() => process.kill(pid, 0)).toThrow() // the process is gone
    await expect(other.run('plus-one', { x: float32Tensor(Float32Array.from([1]), [1]) })).rejects.toThrow(/disposed/)
  })
})
