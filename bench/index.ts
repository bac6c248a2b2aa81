/**
 * Indexing throughput: in one run and through one inference engine, (1) detector-only photos/s
 * (decode + CenterNetDetector.detect, the same overlap of photos as the indexer) and (2)
 * end-to-end photos/s of `indexLibrary` into a fresh temp library; their ratio (target: the
 * full pipeline >= 0.8x detector-only), the peak RSS of this process and of the engine process,
 * and where the indexing time goes (CPU per photo of both processes, and a sequential per-stage
 * profile of the photo job on the first `--profile` photos).
 *
 *   npx tsx bench/index.ts [--images N] [--concurrency C] [--threads T] [--chunk M] [--profile K]
 *   (defaults: all 395 coco-dev photos, the indexer's default concurrency, ORT intra-op threads =
 *   cores, passes alternating every M = 50 photos, K = 20 profiled photos; 0 skips the profile)
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
import { phaseClock, pooled, TimedEngine } from './support/index-timing.js'
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

/** Totals of one pass over all chunks. */
interface PassTotals {
  seconds: number
  engineBusy: number
  requests: number
  cpu: { main: number; engine: number }
}

const emptyTotals = (): PassTotals => ({ seconds: 0, engineBusy: 0, requests: 0, cpu: { main: 0, engine: 0 } })

/** Runs `fn` as part of a pass: adds its wall time, engine busy time, requests and CPU to `totals`. */
async function measured<T>(engine: TimedEngine, totals: PassTotals, fn: () => Promise<T>): Promise<T> {
  engine.resetCounters()
  const cpu = cpuMeter(() => engine.pid)
  const t0 = performance.now()
  const value = await fn()
  totals.seconds += (performance.now() - t0) / 1000
  totals.engineBusy += engine.busyMs / 1000
  totals.requests += engine.requests
  const used = cpu()
  totals.cpu.main += used.main
  totals.cpu.engine += used.engine
  return value
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  const all = cocoDevImages()
  const n = Number(args.get('images') ?? all.length)
  if (!Number.isInteger(n) || n < 1 || n > all.length) throw new Error(`--images needs an integer in 1..${all.length}`)
  const concurrency = args.has('concurrency') ? Number(args.get('concurrency')) : undefined
  const threads = args.has('threads') ? Number(args.get('threads')) : undefined
  const chunkSize = Number(args.get('chunk') ?? 50)
  const provider = resolveProviderSetting()
  console.log(`machine: ${machineLine()}`)

  // The photos are copied into temp folders, one per chunk: the indexer walks folders, and both
  // passes read the very same files. The passes alternate chunk by chunk, so that a change in
  // the load of a shared machine affects both alike.
  const work = mkdtempSync(path.join(os.tmpdir(), 'constella-bench-index-'))
  const chunks: { dir: string; files: string[] }[] = []
  all.slice(0, n).forEach((img, i) => {
    if (i % chunkSize === 0) {
      const dir = path.join(work, 'photos', `chunk-${String(chunks.length).padStart(3, '0')}`)
      mkdirSync(dir, { recursive: true })
      chunks.push({ dir, files: [] })
    }
    const to = path.join(chunks[chunks.length - 1].dir, img.file)
    copyFileSync(path.join(COCO_DEV_DIR, 'images', img.file), to)
    chunks[chunks.length - 1].files.push(to)
  })
  const files = chunks.flatMap((c) => c.files)

  const engine = new TimedEngine({ packDir: defaultPackDir(), provider, intraOpNumThreads: threads })
  try {
    const info = await engine.info()
    const detector = new CenterNetDetector(engine, 'centernet-mobilenetv3', { scoreThreshold: EVIDENCE_THRESHOLD })
    for (let k = 0; k < WARMUP; k++) await detector.detect(await decodePhoto(files[k % files.length]))

    const tOpen = performance.now()
    const lib = await Library.open({ dir: path.join(work, 'library'), engine })
    const openSeconds = (performance.now() - tOpen) / 1000
    const det = emptyTotals()
    const idx = emptyTotals()
    const detClock = phaseClock()
    let detections = 0
    let indexed = 0
    let walkSeconds = 0
    try {
      for (const chunk of chunks) {
        await measured(engine, det, () => pooled(chunk.files, concurrency ?? 3, async (file) => {
          const photo = await detClock.time('decode', () => decodePhoto(file))
          const result = await detClock.time('detect', () => detector.detect(photo))
          detections += result.detections.length
        }))
        const t0 = performance.now()
        const s = await measured(engine, idx, () => indexLibrary(lib, [chunk.dir], {
          concurrency,
          onFound: () => { walkSeconds += (performance.now() - t0) / 1000 },
        }))
        if (s.indexed !== chunk.files.length || s.failed.length > 0) {
          throw new Error(`indexing indexed ${s.indexed} of ${chunk.files.length} photos, ${s.failed.length} failed: ${JSON.stringify(s.failed.slice(0, 3))}`)
        }
        indexed += s.indexed
      }
    } finally {
      await lib.close()
    }
    const detRate = files.length / det.seconds
    const idxRate = indexed / idx.seconds

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
    console.log(`engine: pid ${info.pid}, provider setting ${provider}, ORT intra-op threads ${threads ?? `${os.availableParallelism()} (default)`}; `
      + `photos: ${files.length} coco-dev in ${chunks.length} chunks (passes alternate per chunk); photos in flight: ${concurrency ?? 'indexer default (3)'}\n`)
    console.log(table(['pass', 'photos/s', 'seconds', 'note'], [
      ['detector only (decode + detect)', detRate.toFixed(2), det.seconds.toFixed(1), `engine busy ${pct(det.engineBusy, det.seconds)}; ${detections} detections >= ${EVIDENCE_THRESHOLD}`],
      ['indexLibrary (end to end)', idxRate.toFixed(2), idx.seconds.toFixed(1), `engine busy ${pct(idx.engineBusy, idx.seconds)}; ${indexed} photos indexed`],
    ]))
    const ratio = idxRate / detRate
    const perPhoto = (x: number): number => (1000 * x) / files.length
    const detCpu = perPhoto(det.cpu.main + det.cpu.engine)
    const idxCpu = perPhoto(idx.cpu.main + idx.cpu.engine)
    console.log(`\nratio end-to-end / detector-only: ${ratio.toFixed(2)}x (target >= 0.80: ${ratio >= 0.8 ? 'met' : 'NOT met'})`)
    console.log(`CPU per photo (both processes share ${os.cpus().length} cores): detector only ${detCpu.toFixed(0)} ms (this process ${perPhoto(det.cpu.main).toFixed(0)}, engine ${perPhoto(det.cpu.engine).toFixed(0)}); `
      + `indexing ${idxCpu.toFixed(0)} ms (this process ${perPhoto(idx.cpu.main).toFixed(0)}, engine ${perPhoto(idx.cpu.engine).toFixed(0)}); `
      + `CPU ratio ${(detCpu / idxCpu).toFixed(2)}x (the throughput ratio on a saturated machine)`)
    console.log(`detector-only time per photo (photos overlap, so these add up to more than the wall time): ${detClock.describe()}`)
    console.log(`indexing: library open ${openSeconds.toFixed(2)} s (not in the rate); walks ${walkSeconds.toFixed(2)} s; `
      + `engine busy ${idx.engineBusy.toFixed(1)} s (${idx.requests} requests), idle ${(idx.seconds - idx.engineBusy).toFixed(1)} s`)
    if (profile) {
      const m = profile.ms
      console.log(`\nper-stage time, ${profile.photos} photos one at a time (ms/photo):`)
      console.log(table(['stage', 'where', 'ms/photo'], [
        ['hash (sha256)', 'scan', m.hash.toFixed(1)],
        ['decode (sharp)', 'job', m.decode.toFixed(1)],
        ['thumbnail (320-px JPEG)', 'job', m.thumbnail.toFixed(1)],
        ['detect + feature map (letterbox, engine round trip)', 'job', m.detect.toFixed(1)],
        ['RoIAlign + SARL-GAT head graph (engine round trip)', 'job', m['features+head'].toFixed(1)],
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
