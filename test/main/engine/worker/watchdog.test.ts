/**
 * The inference watchdog with a real stuck process: the inference process is frozen with SIGSTOP,
 * the request in flight fails with a clear error once no reply came for the limit, the process is
 * killed, and the next request starts a new one. A process that keeps answering is never killed,
 * however long its queue takes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { float32Tensor, type TensorMap } from '../../../../src/main/engine/inference-types.js'
import { pidAlive } from '../../../../src/main/engine/io/process-info.js'
import {
  DEFAULT_INFERENCE_TIMEOUT_MS, INFERENCE_TIMEOUT_ENV, InferenceEngine, InferenceProcessDiedError, InferenceTimeoutError, inferenceTimeoutMs,
} from '../../../../src/main/engine/worker/inference-client.js'
import { SLOW_WIDTH, plusOneModel, slowModel, writeTestPack, type TestPack } from './test-pack.js'

const one = (): TensorMap => ({ x: float32Tensor(Float32Array.from([1, 2]), [2]) })
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
let pack: TestPack

beforeAll(() => {
  pack = writeTestPack({ 'plus-one': plusOneModel(), slow: slowModel() })
})
afterAll(() => pack?.remove())

describe('inference watchdog', () => {
  it('kills a process that stops answering, fails what was in flight clearly, and restarts on the next request', { timeout: 120_000 }, async () => {
    const engine = new InferenceEngine({ packDir: pack.dir, provider: 'cpu', requestTimeoutMs: 1500 })
    try {
      expect((await engine.run('plus-one', one())).y.data).toEqual(Float32Array.from([2, 3]))
      const stuck = engine.pid!
      process.kill(stuck, 'SIGSTOP') // frozen: alive, but it will never answer
      const started = performance.now()
      const error = await engine.run('plus-one', one()).then(() => undefined, (e: unknown) => e)
      const waited = performance.now() - started
      expect(error).toBeInstanceOf(InferenceTimeoutError)
      expect(error).toBeInstanceOf(InferenceProcessDiedError) // callers that retry after a crash retry after this too
      expect((error as Error).message).toMatch(new RegExp(`inference process \\(pid ${stuck}\\) gave no reply for 1\\.5 s while a run request was in flight, so it was presumed stuck and killed; the next request restarts it`))
      expect((error as Error).message).toContain(INFERENCE_TIMEOUT_ENV)
      expect(waited).toBeGreaterThanOrEqual(1400)
      expect(waited).toBeLessThan(15_000)
      for (let i = 0; i < 100 && pidAlive(stuck); i++) await sleep(50)
      expect(pidAlive(stuck)).toBe(false)

      expect((await engine.run('plus-one', one())).y.data).toEqual(Float32Array.from([2, 3]))
      expect(engine.pid).not.toBe(stuck)
      expect(engine.processStarts).toBe(2)
    } finally {
      await engine.dispose()
    }
  })

  it('never kills a process that keeps answering, even when its queue takes longer than the limit', { timeout: 120_000 }, async () => {
    // Many short runs queued at once: each reply comes well within the limit, the whole queue takes
    // several times the limit. The queue's length follows this machine's speed (a fast machine or a
    // GPU needs more runs to outlast the limit).
    const engine = new InferenceEngine({ packDir: pack.dir, provider: 'cpu', requestTimeoutMs: 2000 })
    try {
      await engine.loadModel('slow')
      const feeds = { x: float32Tensor(new Float32Array(512 * SLOW_WIDTH).fill(1), [512, SLOW_WIDTH]) }
      const t0 = performance.now()
      for (let i = 0; i < 5; i++) await engine.run('slow', feeds)
      const perRun = Math.max((performance.now() - t0) / 5, 1)
      const count = Math.min(5000, Math.ceil((3 * 2000) / perRun))
      const started = performance.now()
      const runs = await Promise.all(Array.from({ length: count }, () => engine.run('slow', feeds)))
      const elapsed = performance.now() - started
      expect(runs).toHaveLength(count)
      expect(elapsed).toBeGreaterThan(2000) // the queue outlasted the limit, else the test proves nothing
      expect(engine.processStarts).toBe(1)
    } finally {
      await engine.dispose()
    }
  })

  it('takes its limit from the option, else CONSTELLA_INFERENCE_TIMEOUT_MS, else 120 s', () => {
    const saved = process.env[INFERENCE_TIMEOUT_ENV]
    try {
      delete process.env[INFERENCE_TIMEOUT_ENV]
      expect(inferenceTimeoutMs()).toBe(DEFAULT_INFERENCE_TIMEOUT_MS)
      expect(DEFAULT_INFERENCE_TIMEOUT_MS).toBe(120_000)
      process.env[INFERENCE_TIMEOUT_ENV] = '30000'
      expect(inferenceTimeoutMs()).toBe(30_000)
      expect(inferenceTimeoutMs(500)).toBe(500)
      process.env[INFERENCE_TIMEOUT_ENV] = 'soon'
      expect(() => inferenceTimeoutMs()).toThrow(/CONSTELLA_INFERENCE_TIMEOUT_MS .* must be a number of milliseconds/)
    } finally {
      if (saved === undefined) delete process.env[INFERENCE_TIMEOUT_ENV]
      else process.env[INFERENCE_TIMEOUT_ENV] = saved
    }
  })
})
