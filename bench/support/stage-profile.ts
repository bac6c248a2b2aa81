/**
 * Where the indexing time of one photo goes: photos run one at a time through the real photo job
 * (`runPhotoJob`) of a scratch library, with the detector call timed inside it and the analysis
 * hook marking the end of the analysis; hashing, decoding and the thumbnail are timed on their own
 * on the same files. Sequential, so each stage's time is its own (no overlap, no queueing).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { hashFile } from '../../src/main/engine/io/content-hash.js'
import { ensureThumbnail } from '../../src/main/engine/io/thumbnail.js'
import type { Library } from '../../src/main/engine/library/library.js'
import { runPhotoJob } from '../../src/main/engine/library/photo-job.js'
import { decodePhoto } from '../../src/main/engine/pipeline/decode.js'
import type { CenterNetDetector } from '../../src/main/engine/pipeline/detect.js'

/** Mean milliseconds per photo of each stage, plus Sinkhorn statistics of the graph head. */
export interface StageProfile {
  photos: number
  ms: Record<'hash' | 'decode' | 'thumbnail' | 'detect' | 'features+head' | 'store+index' | 'job', number>
  sinkhornIterations: number
  sinkhornConverged: number
}

/**
 * Profiles `files` through `lib` (a scratch library: the photos are recorded and indexed in it).
 * The library's detector is wrapped for the duration and restored afterwards.
 */
export async function profileStages(lib: Library, files: string[]): Promise<StageProfile> {
  const sum = { hash: 0, decode: 0, thumbnail: 0, detect: 0, 'features+head': 0, 'store+index': 0, job: 0 }
  let iterations = 0
  let converged = 0
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'constella-stage-thumbs-'))
  const detector = lib.parts.detector
  let detectMs = 0
  lib.parts.detector = {
    modelName: detector.modelName,
    async detect(...args: Parameters<CenterNetDetector['detect']>) {
      const t0 = performance.now()
      try {
        return await detector.detect(...args)
      } finally {
        detectMs += performance.now() - t0
      }
    },
  } as unknown as CenterNetDetector
  try {
    const { run } = lib.store.runs.resumeOrStart('index', { roots: [] })
    for (const file of files) {
      let t0 = performance.now()
      const contentHash = await hashFile(file)
      sum.hash += performance.now() - t0
      t0 = performance.now()
      const photo = await decodePhoto(file)
      sum.decode += performance.now() - t0
      t0 = performance.now()
      await ensureThumbnail(scratch, contentHash, photo.rgb, photo.width, photo.height)
      sum.thumbnail += performance.now() - t0

      const info = statSync(file)
      const { photo: row } = lib.store.recordScan({ path: file, contentHash, bytes: info.size, mtimeMs: info.mtimeMs }, run.id, () => false)
      detectMs = 0
      let analysed = 0
      const start = performance.now()
      const outcome = await runPhotoJob(lib, row.id, file, (_id, _photo, result) => {
        analysed = performance.now()
        iterations += result.graph.transport?.iterations ?? 0
        if (result.graph.transport?.converged) converged++
      })
      const end = performance.now()
      if (!outcome.ok) throw new Error(`${file}: ${outcome.reason}`)
      sum.job += end - start
      sum.detect += detectMs
      sum['store+index'] += end - analysed
      // Inside the job: decode + thumbnail (timed above, separately) + detect + features/head.
      sum['features+head'] += analysed - start - detectMs
    }
    lib.store.runs.finish(run.id, 'completed')
  } finally {
    lib.parts.detector = detector
    rmSync(scratch, { recursive: true, force: true })
  }
  const n = files.length
  const ms = Object.fromEntries(Object.entries(sum).map(([k, v]) => [k, v / n])) as StageProfile['ms']
  ms['features+head'] = Math.max(0, ms['features+head'] - ms.decode - ms.thumbnail)
  return { photos: n, ms, sinkhornIterations: iterations / n, sinkhornConverged: converged / n }
}
