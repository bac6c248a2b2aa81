/**
 * Scenes (SALGL section 3.3) measured two ways.
 *
 * --quality (coco-dev, a library indexed from ../shared/data/coco-dev): for each K, the balance of
 * the assignment (entropy of the mean pi, of the hard histogram as the paper's Table 5 counts it,
 * and the mean per-photo entropy) trained with L1 + L2 (eq. 11), with L1 alone (no batch term,
 * eq. 10), and of plain k-means on the same standardised features; and the normalised mutual
 * information of each photo's scene with its dominant COCO supercategory (the supercategory whose
 * ground-truth boxes cover the most area), against k-means and a seeded random assignment.
 *
 * default (scale): computing scenes, opening the Scenes view's data (re-count + overview) and a
 * heatmap (scene and global matrices), a scene-filtered grid count, and the map job (UMAP on a
 * sample + neighbour placement; time and peak RSS) on a large library, with the small library
 * measured in the same run as the baseline.
 *
 *   npx tsx bench/scenes.ts --quality [--library /tmp/scenes-engine/lib] [--ks 2,4,6,8,12] [--seeds 1,2,3]
 *   npx tsx bench/scenes.ts [--large /tmp/scenes-engine/lib100k] [--small /tmp/scenes-engine/lib] [--k 6] [--runs 5]
 *     [--map-only] [--map-sample N]
 * The libraries are opened as the writer (migrated to the current schema): use copies, not a
 * library an app has open.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { balanceOf, entropyOf, normalisedMutualInformation } from '../src/main/engine/scenes/balance.js'
import { dominantSupercategory } from '../src/main/engine/scenes/coco-supercategories.js'
import { computeMap, computeScenes } from '../src/main/engine/scenes/compute-scenes.js'
import { kMeans } from '../src/main/engine/scenes/kmeans.js'
import { readPhotoVectors } from '../src/main/engine/scenes/photo-vectors.js'
import { readCooccurrence, readScenesOverview } from '../src/main/engine/scenes/scene-overview.js'
import { refreshScenes } from '../src/main/engine/scenes/scene-refresh.js'
import { argmaxRows, featureStats, scenePosteriors, standardise } from '../src/main/engine/scenes/scene-model.js'
import { trainSceneModel } from '../src/main/engine/scenes/train-scene-model.js'
import { LibraryStore } from '../src/main/engine/store/index.js'
import { PhotoQueryRepository } from '../src/main/engine/store/photo-query-repository.js'
import { COCO_CLASSES } from '../src/shared/class-names.js'
import { seededRandom } from '../src/shared/math/vector.js'
import { numberList, parseArgs, quantile, table } from './support/bench-report.js'

const args = parseArgs(process.argv.slice(2))
const f3 = (x: number): string => x.toFixed(3)
const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length
const nameOf = (c: number): string => COCO_CLASSES[c] ?? `class ${c}`

function quality(): void {
  const dir = args.get('library') ?? '/tmp/scenes-engine/lib'
  const dataset = args.get('dataset') ?? path.resolve('../shared/data/coco-dev/labels.json')
  const gt = JSON.parse(readFileSync(dataset, 'utf8')) as { classes: string[]; images: { file: string; labels: number[]; boxes: number[][] }[] }
  const byFile = new Map(gt.images.map((im) => [im.file, im]))
  const store = LibraryStore.open(path.join(dir, 'library.db'), { readOnly: true })
  const { ids, dims, vectors } = readPhotoVectors(store.db, 'feature-gap')
  const paths = new Map((store.db.prepare('SELECT id, path FROM photos').all() as { id: number; path: string }[]).map((r) => [r.id, r.path]))
  store.close()
  const n = ids.length
  const truth = Array.from(ids, (id) => {
    const im = byFile.get(path.basename(paths.get(id) ?? ''))
    return im ? dominantSupercategory(gt.classes, im.labels, im.boxes) : -1
  })
  console.log(`coco-dev: ${n} photos, feature-gap d=${dims}; supercategory known for ${truth.filter((t) => t >= 0).length}; ${new Set(truth).size} distinct`)
  const std = standardise(vectors.slice(), n, { dims, ...featureStats(vectors, n, dims) })
  const rows: (string | number)[][] = []
  for (const k of numberList(args.get('ks') ?? '2,4,6,8,12')) {
    const figures = { full: [] as number[][], l1: [] as number[][], km: [] as number[][], random: [] as number[], ms: [] as number[] }
    for (const seed of numberList(args.get('seeds') ?? '1,2,3')) {
      for (const [key, batchWeight] of [['full', 1], ['l1', 0]] as const) {
        const x = vectors.slice()
        const t = trainSceneModel(x, n, dims, { k, seed, batchWeight })
        if (key === 'full') figures.ms.push(t.milliseconds)
        const pi = scenePosteriors(t.model, x, n)
        const b = balanceOf(pi, n, k)
        figures[key].push([b.batch, b.hard, b.perPhoto, normalisedMutualInformation(argmaxRows(pi, n, k), truth)])
      }
      const km = kMeans(std, n, dims, k, { seed })
      const hist = new Float64Array(k)
      km.assignment.forEach((a) => hist[a]++)
      figures.km.push([entropyOf(hist), normalisedMutualInformation(km.assignment, truth)])
      const random = seededRandom(seed + 1000)
      figures.random.push(normalisedMutualInformation(Array.from({ length: n }, () => Math.floor(random() * k)), truth))
    }
    const col = (list: number[][], i: number): string => f3(mean(list.map((r) => r[i])))
    rows.push([k, f3(Math.log(k)), col(figures.full, 0), col(figures.full, 1), col(figures.full, 2), col(figures.l1, 0), col(figures.l1, 1), col(figures.l1, 2),
      col(figures.km, 0), col(figures.full, 3), col(figures.l1, 3), col(figures.km, 1), f3(mean(figures.random)), mean(figures.ms).toFixed(0)])
  }
  console.log(table(['K', 'ln K', 'H(mean pi) L1+L2', 'H(hard) L1+L2', 'H(pi) per photo L1+L2', 'H(mean pi) L1 only', 'H(hard) L1 only',
    'H(pi) per photo L1 only', 'H(hard) k-means', 'NMI L1+L2', 'NMI L1 only', 'NMI k-means', 'NMI random', 'train ms'], rows))
}

function timed<T>(fn: () => T, runs: number): { ms: number; value: T } {
  let value!: T
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    value = fn()
    times.push(performance.now() - t)
  }
  return { ms: quantile(times, 0.5), value }
}

async function scale(): Promise<void> {
  const k = Number(args.get('k') ?? 6)
  const runs = Number(args.get('runs') ?? 5)
  const results: Record<string, Record<string, number>> = {}
  for (const [label, dir] of [['baseline', args.get('small') ?? '/tmp/scenes-engine/lib'], ['large', args.get('large') ?? '/tmp/scenes-engine/lib100k']]) {
    const store = LibraryStore.open(path.join(dir, 'library.db'))
    const r: Record<string, number> = {}
    try {
      let t = performance.now()
      if (!args.has('map-only')) {
      const computed = await computeScenes(store.db, store.file, { k, seed: 1 })
      r.photos = computed.photos
      r.computeMs = performance.now() - t
      r.trainMs = computed.result.timings.train
      r.readMs = computed.result.timings.read
      r.saveMs = computed.milliseconds.save
      // a label edit, so that the first open also re-counts a photo
      store.db.prepare("UPDATE labels SET state = state WHERE photo_id = (SELECT min(photo_id) FROM scene_assignments)").run()
      const first = timed(() => (refreshScenes(store.db, 2000), readScenesOverview(store.db, { nameOf })), 1)
      r.openScenesFirstMs = first.ms
      r.openScenesMs = timed(() => (refreshScenes(store.db, 2000), readScenesOverview(store.db, { nameOf })), runs).ms
      r.heatmapMs = timed(() => readCooccurrence(store.db, 0, { nameOf, top: 16 }), runs).ms
      r.globalMatrixMs = timed(() => readCooccurrence(store.db, 'global', { nameOf, top: 16 }), runs).ms
      const query = new PhotoQueryRepository(store.db, Date.now)
      r.sceneCountMs = timed(() => query.count({ scene: 0 }), runs).ms
      r.scenePageMs = timed(() => query.page({ filter: { scene: 0, labels: [0] }, sort: { key: 'added', order: 'desc' }, limit: 200 }), runs).ms
      r.batchEntropy = first.value.entropy.batch
      }
      const rss0 = process.memoryUsage().rss
      let peak = rss0
      const poll = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50)
      t = performance.now()
      const map = await computeMap(store.db, store.file, args.has('map-sample') ? { sampleSize: Number(args.get('map-sample')) } : {})
      clearInterval(poll)
      r.mapMs = performance.now() - t
      r.mapUmapMs = map.milliseconds.umap
      r.mapPlaceMs = map.milliseconds.place
      r.mapSample = map.sample
      r.mapPeakRssMiB = peak / 2 ** 20
      r.mapRssGrowthMiB = (peak - rss0) / 2 ** 20
    } finally {
      store.close()
    }
    results[label] = r
    console.log(label, dir, JSON.stringify(r))
  }
  const b = results.baseline
  const l = results.large
  console.log(table(['figure', 'baseline', 'large', 'ratio'], Object.keys(l).filter((key) => key in b).map((key) => [key, b[key].toFixed(1), l[key].toFixed(1), (l[key] / b[key]).toFixed(2)])))
}

if (args.has('quality')) quality()
else await scale()
