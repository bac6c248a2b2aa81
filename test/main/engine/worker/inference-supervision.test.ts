import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { float32Tensor, type TensorMap } from '../../../../src/main/engine/inference-types.js'
import { InferenceEngine, InferenceProcessDiedError } from '../../../../src/main/engine/worker/inference-client.js'
import { SLOW_WIDTH, plusOneModel, slowModel, writeTestPack, type TestPack } from './test-pack.js'

/** Rows of ones for the slow model: 4096 rows x 24 MatMuls take about 1 s on 2 cores. */
function slowFeeds(rows = 4096): TensorMap {
  return { x: float32Tensor(new Float32Array(rows * SLOW_WIDTH).fill(1), [rows, SLOW_WIDTH]) }
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('InferenceEngine supervision: cancel, crash and restart, responsiveness', () => {
  let pack: TestPack
  let engine: InferenceEngine

  beforeAll(async () => {
    pack = writeTestPack({ slow: slowModel(), 'plus-one': plusOneModel() })
    engine = new InferenceEngine({ packDir: pack.dir, provider: 'cpu' })
    await engine.loadModel('slow')
  })
  afterAll(async () => {
    await engine?.dispose()
    pack?.remove()
  })

  it('keeps the caller event loop responsive while a slow run is in flight', async () => {
    let ticks = 0
    let longestGap = 0
    let last = performance.now()
    const timer = setInterval(() => {
      const now = performance.now()
      longestGap = Math.max(longestGap, now - last)
      last = now
      ticks++
    }, 10)
    const started = performance.now()
    const out = await engine.run('slow', slowFeeds())
    const elapsed = performance.now() - started
    clearInterval(timer)
    expect(out.y.dims).toEqual([4096, SLOW_WIDTH])
    expect((out.y.data as Float32Array)[0]).toBeCloseTo(1, 5)
    expect(elapsed).toBeGreaterThan(200) // really slow, else the test proves nothing
    expect(ticks).toBeGreaterThanOrEqual(Math.floor(elapsed / 10 / 4))
    expect(longestGap).toBeLessThan(Math.max(150, elapsed / 4))
  })

  it('drops a queued request when its signal aborts; the model it named is never even loaded', async () => {
    const slow = engine.run('slow', slowFeeds())
    const controller = new AbortController()
    const queued = engine.run('plus-one', { x: float32Tensor(Float32Array.from([1]), [1]) }, undefined, { signal: controller.signal })
    await sleep(50)
    controller.abort()
    await expect(queued).rejects.toMatchObject({ name: 'AbortError', message: expect.stringMatching(/run plus-one \(request \d+\) was aborted/) })
    await slow
    const info = await engine.info()
    expect(info.cancelled).toBe(1)
    expect(info.models['plus-one']).toBeUndefined()
    // An already-aborted signal never reaches the process.
    await expect(engine.run('plus-one', { x: float32Tensor(Float32Array.from([1]), [1]) }, undefined, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' })
  })

  it('discards the result of an aborted running request and keeps serving', async () => {
    const controller = new AbortController()
    const running = engine.run('slow', slowFeeds(), undefined, { signal: controller.signal })
    await sleep(100)
    controller.abort(new Error('user closed the view'))
    await expect(running).rejects.toMatchObject({ name: 'AbortError' })
    const out = await engine.run('plus-one', { x: float32Tensor(Float32Array.from([41]), [1]) })
    expect(Array.from(out.y.data as Float32Array)).toEqual([42])
  })

  it('rejects in-flight requests with InferenceProcessDiedError on kill -9, then restarts on the next request', async () => {
    const firstPid = (await engine.info()).pid
    const starts = engine.processStarts
    const running = engine.run('slow', slowFeeds())
    const queued = engine.run('plus-one', { x: float32Tensor(Float32Array.from([1]), [1]) })
    await sleep(150)
    process.kill(firstPid, 'SIGKILL')
    for (const request of [running, queued]) {
      const err = await request.catch((e: Error) => e)
      expect(err).toBeInstanceOf(InferenceProcessDiedError)
      expect((err as Error).message).toBe(
        `the inference process (pid ${firstPid}) exited with signal SIGKILL while this request was in flight; the next request restarts it`,
      )
      expect((err as InferenceProcessDiedError).signal).toBe('SIGKILL')
    }
    const out = await engine.run('plus-one', { x: float32Tensor(Float32Array.from([1, 2]), [2]) })
    expect(Array.from(out.y.data as Float32Array)).toEqual([2, 3])
    const info = await engine.info()
    expect(info.pid).not.toBe(firstPid)
    expect(engine.pid).toBe(info.pid)
    expect(engine.processStarts).toBe(starts + 1)
    expect(Object.keys(info.models)).toEqual(['plus-one']) // a fresh process: models load again lazily
  })
})
