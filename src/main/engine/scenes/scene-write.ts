/**
 * Saving a scene computation (the main thread, the library's one writer): the model, every
 * photo's assignment with the labels counted for it, C^s (SALGL eq. 7, hard assignment: a photo
 * counts in its argmax scene, as the paper updates C^s; integer counts, so that a heatmap cell's
 * count is exactly the number of photos the cell opens) and the per-scene totals. Written in
 * chunks of small transactions with a yield between them, so that the app stays responsive at
 * 100,000 photos; the counts and totals land in the last transaction.
 */
import type { Database } from 'better-sqlite3'
import { SceneLabelReads } from '../store/scene-label-reads.js'
import { SceneRepository } from '../store/scene-repository.js'
import { CountAccumulator, rowEntropy } from './scene-counting.js'
import type { SceneTaskResult } from './scene-task.js'

/** Photos per write transaction. */
const CHUNK = 500

const tick = (): Promise<void> => new Promise((r) => setImmediate(r))

/** Options of {@link saveScenes}. */
export interface SaveScenesOptions {
  now?: () => number
  signal?: AbortSignal
  onProgress?: (fraction: number) => void
  /** Extra figures kept with the model (training figures, timings). */
  stats?: Record<string, unknown>
}

/** Replaces the library's scenes with a computation's result. Returns the model id. */
export async function saveScenes(db: Database, result: SceneTaskResult, options: SaveScenesOptions = {}): Promise<number> {
  const now = options.now ?? Date.now
  const repo = new SceneRepository(db, now)
  const reads = new SceneLabelReads(db, now)
  const { k, ids, pi } = result
  const counts = new CountAccumulator()
  const piSum = new Float64Array(k)
  const entropySum = new Float64Array(k)
  const sizes = new Float64Array(k)
  const stats = { balance: result.balance, finalLoss: result.finalLoss, kMeansIterations: result.kMeansIterations, timings: result.timings, ...options.stats }
  const trainedAt = now()
  const modelId = db.transaction(() => {
    repo.clear()
    return repo.saveModel({ k, dims: result.dims, method: result.method, params: Buffer.from(result.params), seed: result.seed, stats, trainedPhotos: ids.length })
  })()
  for (let start = 0; start < ids.length; start += CHUNK) {
    if (options.signal?.aborted) throw Object.assign(new Error('saving scenes was cancelled'), { name: 'AbortError' })
    const end = Math.min(ids.length, start + CHUNK)
    db.transaction(() => {
      const labels = reads.positives(Array.from(ids.subarray(start, end)))
      for (let i = start; i < end; i++) {
        const row = pi.slice(i * k, i * k + k)
        let scene = 0
        for (let m = 1; m < k; m++) if (row[m] > row[scene]) scene = m
        const entropy = rowEntropy(row)
        const own = labels.get(ids[i]) ?? new Int32Array(0)
        repo.putAssignment({ photoId: ids[i], scene, confidence: row[scene], entropy, pi: row, labels: own, modelId }, trainedAt)
        counts.add(scene, own, 1)
        sizes[scene]++
        entropySum[scene] += entropy
        for (let m = 0; m < k; m++) piSum[m] += row[m]
      }
    })()
    options.onProgress?.(end / ids.length)
    await tick()
  }
  db.transaction(() => {
    for (const [scene, a, b, n] of counts.entries()) repo.addCount(scene, a, b, n)
    for (let m = 0; m < k; m++) repo.addTotal(m, sizes[m], piSum[m], entropySum[m])
  })()
  return modelId
}
