/**
 * Vector search benchmark (issue 3): for each library size, builds the photo index through
 * `VectorIndex` (batch add on all cores), saves it, reopens it (sha256 + key-set check + load),
 * and measures single-query latency (p50/p99, one thread, wall clock) and recall@k against exact
 * search, for each storage type and each search expansion (ef).
 *
 *   npx tsx bench/search.ts [--dims 256] [--sizes 100000,1000000] [--queries 1000] [--k 10]
 *     [--quantizations f32,i8] [--connectivity 32] [--expansion-add 128] [--ef 64,128,256]
 *     [--threads 0]
 *
 * Data: seeded mixture of 1024 Gaussian clusters with Zipf-like sizes, each spread along its own
 * rank-16 subspace plus isotropic noise (bench/support/synthetic-vectors.ts); queries are fresh
 * draws from the same mixture. Ground truth: USearch `exactSearch` (cosine, f32) over the data.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { exactSearch, MetricKind, type BatchMatches, type Matches } from 'usearch'
import { DEFAULT_INDEX_OPTIONS, VectorIndex, type Quantization } from '../src/main/engine/index/vector-index.js'
import { machineLine, numberList, parseArgs, quantile, secondsSince, table } from './support/bench-report.js'
import { MatrixSource } from './support/matrix-source.js'
import { GaussianMixture } from './support/synthetic-vectors.js'

// USearch frees native memory only when its JS object is collected, and N-API finalizers run
// after the event loop turns: collect and yield between indexes, or a sweep holds them all.
setFlagsFromString('--expose-gc')
const collect = runInNewContext('gc') as () => void
const releaseNativeMemory = async (): Promise<void> => {
  for (let i = 0; i < 2; i++) {
    collect()
    await new Promise((resolve) => setImmediate(resolve))
  }
}

const args = parseArgs(process.argv.slice(2))
const dims = numberList(args.get('dims') ?? '256')[0]
const sizes = numberList(args.get('sizes') ?? '100000,1000000')
const Q = numberList(args.get('queries') ?? '1000')[0]
const k = numberList(args.get('k') ?? '10')[0]
const quantizations = (args.get('quantizations') ?? 'f32,i8').split(',') as Quantization[]
for (const q of quantizations) if (!['f32', 'f16', 'i8'].includes(q)) throw new Error(`unknown quantization ${q}`)
const connectivities = numberList(args.get('connectivity') ?? String(DEFAULT_INDEX_OPTIONS.connectivity))
const expansionAdd = numberList(args.get('expansion-add') ?? String(DEFAULT_INDEX_OPTIONS.expansionAdd))[0]
const efs = numberList(args.get('ef') ?? '64,128,256')
const threads = numberList(args.get('threads') ?? '0')[0]

const header = ['size', 'storage', 'M', 'ef_add', 'ef', 'build s', 'save s', 'disk MB', 'open s',
  'p50 ms', 'p99 ms', 'cpu p50', 'cpu p99', `recall@${k}`]
const rows: (string | number)[][] = []
const log = (s: string): void => console.error(`[bench] ${s}`)

console.log(`bench/search: ${dims}-d, ${Q} queries, k=${k}; ${machineLine()}`)
const mixture = new GaussianMixture({ dims, seed: 42 })
const queries = mixture.sample(Q, 4242)
const query = (i: number): Float32Array => queries.subarray(i * dims, (i + 1) * dims)

for (const size of sizes) {
  let t0 = performance.now()
  const data = mixture.sample(size, 1000 + size)
  log(`${size}: generated in ${secondsSince(t0)} s`)
  t0 = performance.now()
  const truth = exactSearch(data, queries, dims, k, MetricKind.Cos, threads) as BatchMatches
  const truthSets = Array.from({ length: Q }, (_, i) => new Set(Array.from(truth.get(i).keys, (x) => Number(x) + 1)))
  log(`${size}: exact ground truth for ${Q} queries in ${secondsSince(t0)} s (batch, all threads)`)

  const exactRuns = Math.min(Q, size >= 500_000 ? 30 : 100)
  const exactLat: number[] = []
  for (let i = 0; i < exactRuns; i++) {
    const t = performance.now()
    exactSearch(data, query(i), dims, k, MetricKind.Cos, 1) as Matches
    exactLat.push(performance.now() - t)
  }
  rows.push([size, 'f32', '-', '-', 'exact', '-', '-', '-', '-', quantile(exactLat, 0.5).toFixed(2),
    quantile(exactLat, 0.99).toFixed(2), '-', '-', '1.000'])

  for (const quantization of quantizations) {
    for (const connectivity of connectivities) {
      const dir = mkdtempSync(join(tmpdir(), 'constella-bench-'))
      const file = join(dir, 'photos.usearch')
      const source = new MatrixSource(data, dims)
      const base = { quantization, connectivity, expansionAdd, exactThreshold: 0, threads }
      const built = VectorIndex.open(file, dims, source, { ...base, expansionSearch: efs[0] })
      t0 = performance.now()
      built.save()
      const saveS = (performance.now() - t0) / 1000
      const buildS = built.openReport.elapsedMs / 1000 - saveS
      built.close()
      await releaseNativeMemory()
      const diskMB = statSync(file).size / 2 ** 20
      log(`${size} ${quantization} M=${connectivity}: built in ${buildS.toFixed(1)} s, ${diskMB.toFixed(0)} MB`)

      for (const ef of efs) {
        const index = VectorIndex.open(file, dims, source, { ...base, expansionSearch: ef })
        if (index.openReport.rebuilt) throw new Error(`reopen rebuilt: ${index.openReport.detail}`)
        for (let i = 0; i < Math.min(Q, 50); i++) index.search(query(i), k)
        const lat = new Float64Array(Q)
        const cpuLat = new Float64Array(Q)
        let found = 0
        for (let i = 0; i < Q; i++) {
          const cpu0 = process.cpuUsage()
          const t = performance.now()
          const hits = index.search(query(i), k)
          lat[i] = performance.now() - t
          const cpu = process.cpuUsage(cpu0)
          cpuLat[i] = (cpu.user + cpu.system) / 1000
          for (const h of hits) if (truthSets[i].has(h.key)) found++
        }
        rows.push([size, quantization, connectivity, expansionAdd, ef, buildS.toFixed(1), saveS.toFixed(1),
          diskMB.toFixed(1), (index.openReport.elapsedMs / 1000).toFixed(2), quantile(lat, 0.5).toFixed(3),
          quantile(lat, 0.99).toFixed(3), quantile(cpuLat, 0.5).toFixed(3), quantile(cpuLat, 0.99).toFixed(3),
          (found / (Q * k)).toFixed(4)])
        log(`  ef=${ef}: ${rows[rows.length - 1].slice(9).join(' | ')} (rss ${(process.memoryUsage().rss / 2 ** 30).toFixed(1)} GB)`)
        index.close({ save: false })
        await releaseNativeMemory()
      }
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

console.log(table(header, rows))
console.log(`finished; ${machineLine()}`)
console.log('build s = batch build through VectorIndex.open (all threads); save s = write + fsync + sha256;')
console.log('open s = reopen: key-set hash + sha256 of the file + USearch load; p50/p99 = one thread, wall clock;')
console.log('cpu p50/p99 = process CPU time per query (what the query costs when the machine is not shared).')
