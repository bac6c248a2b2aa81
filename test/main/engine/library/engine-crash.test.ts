/**
 * The inference process dying during `indexLibrary` (a real SIGKILL of the real engine process
 * while a request is in flight): photos that were in flight are analysed again once the engine
 * has restarted (one at a time) and none is lost; a photo whose analysis kills the engine even
 * alone is recorded as failed with a reason that says so, and the rest of the run completes.
 */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunOptions, TensorMap } from '../../../../src/main/engine/inference-types.js'
import { indexLibrary } from '../../../../src/main/engine/library/indexer.js'
import { Library } from '../../../../src/main/engine/library/library.js'
import { decodePhoto } from '../../../../src/main/engine/pipeline/decode.js'
import { InferenceEngine } from '../../../../src/main/engine/worker/inference-client.js'
import { copyCocoPhotos, expectIndexesMatchStore, tempFolder } from './helpers.js'

/** A position-weighted sum over a request's first input: tells one photo's detector input from another's. */
const fingerprint = (feeds: TensorMap): number => {
  const data = Object.values(feeds)[0].data as Float32Array
  let s = 0
  for (let k = 0; k < data.length; k += 7) s += data[k] * (k % 1013)
  return s
}

/** An engine whose process is killed (SIGKILL) right after chosen requests are sent. */
class CrashingEngine extends InferenceEngine {
  /** Kill the process after the next `n` requests, whatever they are. */
  killNext = 0
  /** Kill the process after every request with one of these input fingerprints. */
  readonly poison = new Set<number>()
  /** Record the fingerprints of requests while set. */
  recording?: number[]
  kills = 0

  override run(model: string, feeds: TensorMap, fetches?: string[], options?: RunOptions): Promise<TensorMap> {
    const f = fingerprint(feeds)
    this.recording?.push(f)
    const reply = super.run(model, feeds, fetches, options)
    if (this.killNext > 0 || this.poison.has(f)) {
      this.killNext = Math.max(0, this.killNext - 1)
      void this.info().then(({ pid }) => {
        this.kills++
        process.kill(pid, 'SIGKILL')
      }, () => undefined)
    }
    return reply
  }
}

const temp = tempFolder()
let engine: CrashingEngine
let lib: Library

beforeAll(async () => {
  engine = new CrashingEngine()
  lib = await Library.open({ dir: path.join(temp.dir, 'library'), engine })
})

afterAll(async () => {
  await lib?.close()
  await engine?.dispose()
  temp.cleanup()
})

describe('indexing while the inference process crashes', () => {
  it('analyses the photos in flight again after a crash and loses none', async () => {
    const photos = copyCocoPhotos(path.join(temp.dir, 'a'), 8, 40)
    let done = 0
    const s = await indexLibrary(lib, [path.join(temp.dir, 'a')], {
      onPhotoDone: () => { if (++done === 2) engine.killNext = 1 },
    })
    expect(engine.kills).toBe(1)
    expect(s.failed).toEqual([])
    expect(s.indexed).toBe(photos.length)
    expectIndexesMatchStore(lib)
  })

  it('records a photo that crashes the engine every time as failed, and finishes the run', async () => {
    const photos = copyCocoPhotos(path.join(temp.dir, 'b'), 6, 60)
    const poisonFile = photos[2]
    engine.recording = []
    const { analyzePhoto } = await import('../../../../src/main/engine/analysis/analyze-photo.js')
    await analyzePhoto(lib.parts, await decodePhoto(poisonFile))
    for (const f of engine.recording) engine.poison.add(f)
    engine.recording = undefined
    const killsBefore = engine.kills
    const s = await indexLibrary(lib, [path.join(temp.dir, 'b')])
    expect(engine.kills - killsBefore).toBe(2) // once among the others, once alone
    expect(s.failed.map((f) => f.path)).toEqual([poisonFile])
    expect(s.failed[0].reason).toMatch(/inference process crashed while analysing this photo, also when it was analysed alone.*--retry-failed/)
    expect(s.indexed).toBe(photos.length - 1)
    expect(lib.store.photos.findByPath(poisonFile)?.status).toBe('failed')
    expectIndexesMatchStore(lib)
  })
})
