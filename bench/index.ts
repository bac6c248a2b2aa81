/**
 * Indexing throughput: in one run and through one inference engine, (1) detector-only photos/s
 * (decode + CenterNetDetector.detect, the same overlap of photos as the indexer) and (2)
 * end-to-end photos/s of `indexLibrary` into a fresh temp library; their ratio (target: the
 * full pipeline >= 0.8x detector-only), the peak RSS of this process and of the engine process,
 * and where the indexing time goes (CPU per photo of both processes, and a sequential per-stage
 * profile of the photo job on the first `--profile` photos).
 *
 *   npx tsx bench/index.ts [--images N] [--concurrency C] [--profile K]
 *   (defaults: all 395 coco-dev photos, the indexer's default concurrency, K = 20; 0 skips it)
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { indexLibrary } from '../src/main/engine/library/indexer.js'
import { EVIDENCE_THRESHOLD, Library } from '../src/main/engine/library/library.js'
import { defaultPackDir } from '../src/main/engine/models/pack.js'
import { resolveProviderSetting } from '../src/main/engine/models/sessions.js'
import { decodePhoto } from '../src/main/engine/pipeline/decode.js'
import { CenterNetDetector } from '../src/main/engine/pipeline/detect.js'
import { COCO_DEV_DIR, cocoDevImages } from '../test/support/coco-images.js'
import { machineLine, parseArgs, table } from './support/bench-report.js'
import { phaseClock, pooled, TimedEngine, type PhaseClock } from './support/index-timing.js'
import { profileStages } from './support/stage-profile.js'

const WARMUP = 3

/** A /proc/<pid>/status field in MiB (Linux), or undefined elsewhere or for a gone process. */
function procStatusMiB(pid: number | 'self' | undefined, field: 'VmHWM' | 'VmRSS'): number | undefined {
  if (pid === undefined) return undefined
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) / 1024 : undefined
  } catch {
    return undefined
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat (Linux; 100 ticks/s). */
function procCpuSeconds(pid: number | 'self' | undefined): number {
  if (pid === undefined) return Number.NaN
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return Number.NaN
  }
}

/** CPU seconds of this process and the engine process since `start()`. */
function cpuMeter(engine: () => number | undefined): () => { main: number; engine: number } {
  const m0 = procCpuSeconds('self')
  const e0 = procCpuSeconds(engine())
  return () => ({ main: procCpuSeconds('self') - m0, engine: procCpuSeconds(engine()) - e0 })
}

const pct = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(0)}%`
const mib = (x: number | undefined): string => (x === undefined ? 'n/a' : `${x.toFixed(0)} MiB`)

/** Detector-only: decode + detect every photo, `concurrency` photos in flight. */
async function detectorOnly(files: string[], detector: CenterNetDetector, concurrency: number, clock: PhaseClock): Promise<{ seconds: number; detections: number }> {
  let detections = 0
  const t0 = performance.now()
  await pooled(files, concurrency, async (file) => {
    const photo = await clock.time('decode', () => decodePhoto(file))
    const result = await clock.time('detect', () => detector.detect(photo))
    detections += result.detections.length
  })
  return { seconds: (performance.now() - t0) / 1000, detections }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  const all = cocoDevImages()
  const n = Number(args.get('images') ?? all.length)
  if (!Number.isInteger(n) || n < 1 || n > all.length) throw new Error(`--images needs an integer in 1..${all.length}`)
  const concurrency = args.has('concurrency') ? Number(args.get('concurrency')) : undefined
  const provider = resolveProviderSetting()
  console.log(`machine: ${machineLine()}`)

  // The photos are copied into a temp folder: the indexer walks folders, and the copy keeps
  // the detector-only pass and the indexer on the very same files.
  const work = mkdtempSync(path.join(os.tmpdir(), 'constella-bench-index-'))
  const photoDir = path.join(work, 'photos')
  mkdirSync(photoDir)
  const files = all.slice(0, n).map((img) => {
    const to = path.join(photoDir, img.file)
    copyFileSync(path.join(COCO_DEV_DIR, 'images', img.file), to)
    return to
  })

  const engine = new TimedEngine({ packDir: defaultPackDir(), provider })
  try {
    const info = await engine.info()
    const detector = new CenterNetDetector(engine, 'centernet-mobilenetv3', { scoreThreshold: EVIDENCE_THRESHOLD })
    for (let k = 0; k < WARMUP; k++) await detector.detect(await decodePhoto(files[k % files.length]))

    const detClock = phaseClock()
    engine.resetCounters()
    const detCpu = cpuMeter(() => engine.pid)
    const det = await detectorOnly(files, detector, concurrency ?? 3, detClock)
    const detRate = files.length / det.seconds
    const detBusy = engine.busyMs / 1000
    const detCpuUsed = detCpu()

    const tOpen = performance.now()
    const lib = await Library.open({ dir: path.join(work, 'library'), engine })
    const openSeconds = (performance.now() - tOpen) / 1000
    let indexed = 0
    let tFirst = 0
    engine.resetCounters()
    const idxCpu = cpuMeter(() => engine.pid)
    const t0 = performance.now()
    let tFound = 0
    let summary
    try {
      summary = await indexLibrary(lib, [photoDir], {
        concurrency,
        onFound: () => { tFound = performance.now() },
        onAnalyzed: () => {
          if (indexed++ === 0) tFirst = performance.now()
        },
      })
    } finally {
      await lib.close()
    }
    const idxSeconds = (performance.now() - t0) / 1000
    const idxBusy = engine.busyMs / 1000
    const idxRequests = engine.requests
    const idxCpuUsed = idxCpu()
    const idxRate = summary.indexed / idxSeconds
    if (summary.indexed !== files.length || summary.failed.length > 0) {
      throw new Error(`indexing indexed ${summary.indexed} of ${files.length} photos, ${summary.failed.length} failed: ${JSON.stringify(summary.failed.slice(0, 3))}`)
    }

    const pid = engine.pid
    const profileCount = Math.min(files.length, Number(args.get('profile') ?? 20))
    let profile
    if (profileCount > 0) {
      const scratch = await Library.open({ dir: path.join(work, 'profile-library'), engine })
      try {
        profile = await profileStages(scratch, files.slice(0, profileCount))
      } finally {
        await scratch.close()
      }
    }
    console.log(`engine: pid ${info.pid}, provider setting ${provider}; photos: ${files.length} coco-dev; photos in flight: ${concurrency ?? 'indexer default (3)'}\n`)
    console.log(table(['pass', 'photos/s', 'seconds', 'note'], [
      ['detector only (decode + detect)', detRate.toFixed(2), det.seconds.toFixed(1), `engine busy ${pct(detBusy, det.seconds)}; ${det.detections} detections >= ${EVIDENCE_THRESHOLD}`],
      ['indexLibrary (end to end)', idxRate.toFixed(2), idxSeconds.toFixed(1), `engine busy ${pct(idxBusy, idxSeconds)}; ${indexed} analysed`],
    ]))
    const ratio = idxRate / detRate
    console.log(`\nratio end-to-end / detector-only: ${ratio.toFixed(2)}x (target >= 0.80: ${ratio >= 0.8 ? 'met' : 'NOT met'})`)
    console.log(`detector-only time per photo (photos overlap, so these add up to more than the wall time): ${detClock.describe()}`)
    console.log(`indexing time split: library open ${openSeconds.toFixed(2)} s (not in the rate); walk ${((tFound - t0) / 1000).toFixed(2)} s; walk end -> first photo analysed ${((tFirst - tFound) / 1000).toFixed(2)} s (hashing + scan); `
      + `engine busy ${idxBusy.toFixed(1)} s (${idxRequests} requests), engine idle ${(idxSeconds - idxBusy).toFixed(1)} s`)
    const perPhoto = (x: number): string => `${((1000 * x) / files.length).toFixed(0)} ms`
    console.log(`CPU per photo (${os.cpus().length} cores shared by both processes): detector only: this process ${perPhoto(detCpuUsed.main)}, engine ${perPhoto(detCpuUsed.engine)}; `
      + `indexing: this process ${perPhoto(idxCpuUsed.main)}, engine ${perPhoto(idxCpuUsed.engine)}`)
    if (profile) {
      const m = profile.ms
      console.log(`\nper-stage time, ${profile.photos} photos one at a time (ms/photo):`)
      console.log(table(['stage', 'where', 'ms/photo'], [
        ['hash (sha256)', 'scan', m.hash.toFixed(1)],
        ['decode (sharp)', 'job', m.decode.toFixed(1)],
        ['thumbnail (320-px WebP)', 'job', m.thumbnail.toFixed(1)],
        ['detect + feature map (letterbox, engine round trip)', 'job', m.detect.toFixed(1)],
        ['RoIAlign + SARL-GAT head (main thread)', 'job', m['features+head'].toFixed(1)],
        ['store write + index update', 'job', m['store+index'].toFixed(1)],
        ['photo job total', 'job', m.job.toFixed(1)],
      ]))
      console.log(`Sinkhorn (OT adjacency): ${profile.sinkhornIterations.toFixed(0)} iterations/photo on average, ${(100 * profile.sinkhornConverged).toFixed(0)}% converged`)
    }
    console.log(`peak RSS: this process ${mib(procStatusMiB('self', 'VmHWM'))}, engine process ${mib(procStatusMiB(pid, 'VmHWM'))} (VmHWM)`)
  } finally {
    await engine.dispose()
    rmSync(work, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
