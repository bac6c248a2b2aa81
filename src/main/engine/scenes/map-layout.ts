/**
 * The 2-D map of the photo embeddings H: UMAP (umap-js) on a seeded sample of at most
 * `sampleSize` photos, then every other photo placed at the distance-weighted mean of its nearest
 * sample photos (found in a 32-d random projection of H, which keeps cosine neighbourhoods — the
 * Johnson-Lindenstrauss lemma — at an eighth of the cost, through a small inverted file). Full UMAP in JavaScript grows
 * super-linearly with n and needs number[][] copies of every vector; the sample keeps the job's
 * time and memory bounded at 100,000 photos (figures in bench/scenes.ts).
 */
import type { Database } from 'better-sqlite3'
import { UMAP } from 'umap-js'
import { gaussian, seededRandom } from '../../../shared/math/vector.js'
import { METHODS } from '../store/embedding-methods.js'
import { kMeans } from './kmeans.js'
import { readPhotoVectors } from './photo-vectors.js'

/** Options of the map. */
export interface MapLayoutOptions {
  /** Photo vector method; default the SARL-GAT photo embedding H. */
  method?: string
  /** Photos UMAP itself lays out (the rest are placed by their neighbours). Default 3000. */
  sampleSize?: number
  seed?: number
  /** UMAP epochs; default 200 (umap-js's own default for large inputs; it picks 500 below 10,000 points). */
  epochs?: number
  nNeighbors?: number
}

/** A computed map. */
export interface MapLayoutResult {
  ids: Int32Array
  /** x, y per photo, interleaved. */
  xy: Float32Array
  sample: number
  milliseconds: { read: number; umap: number; place: number }
}

const PROJECTED = 32
const DEFAULT_SAMPLE = 3000
const DEFAULT_EPOCHS = 200
const PLACE_NEIGHBOURS = 5

/** Computes the map (see the file comment). */
export function computeMapLayout(db: Database, options: MapLayoutOptions, progress: (fraction: number, stage: string) => void): MapLayoutResult {
  const t0 = performance.now()
  progress(0, 'reading photo embeddings')
  const { ids, dims, vectors } = readPhotoVectors(db, options.method ?? METHODS.photo)
  const n = ids.length
  const t1 = performance.now()
  const random = seededRandom(options.seed ?? 1)
  const order = Int32Array.from({ length: n }, (_, i) => i)
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[order[i], order[j]] = [order[j], order[i]]
  }
  const s = Math.min(n, options.sampleSize ?? DEFAULT_SAMPLE)
  const sample = order.slice(0, s).sort()
  const xy = new Float32Array(n * 2)
  if (s < 3) {
    for (let i = 0; i < n; i++) xy.set([i, 0], i * 2)
    return { ids, xy, sample: s, milliseconds: { read: t1 - t0, umap: 0, place: 0 } }
  }
  const rows = Array.from(sample, (i) => Array.from(vectors.subarray(i * dims, i * dims + dims)))
  const umap = new UMAP({ nComponents: 2, nNeighbors: Math.min(options.nNeighbors ?? 15, s - 1), nEpochs: options.epochs ?? DEFAULT_EPOCHS, random: seededRandom((options.seed ?? 1) + 3) })
  const epochs = umap.initializeFit(rows)
  progress(0.2, 'laying out the sample (UMAP)')
  for (let e = 0; e < epochs; e++) {
    umap.step()
    if (e % 20 === 0) progress(0.2 + (0.6 * e) / epochs, 'laying out the sample (UMAP)')
  }
  const embedding = umap.getEmbedding()
  sample.forEach((i, j) => xy.set(embedding[j], i * 2))
  const t2 = performance.now()
  progress(0.8, 'placing the other photos')
  placeRest(vectors, dims, n, sample, xy, random)
  return { ids, xy, sample: s, milliseconds: { read: t1 - t0, umap: t2 - t1, place: performance.now() - t2 } }
}

/** Cells of the coarse quantiser over the projected sample, and cells searched per photo. */
const CELLS = 48
const PROBES = 4

/**
 * Places every photo outside the sample at the weighted mean of its nearest sample photos, searched
 * in a 32-d random projection through an inverted file: the sample is cut into {@link CELLS}
 * k-means cells and a photo looks in its {@link PROBES} nearest cells only.
 */
function placeRest(vectors: Float32Array, dims: number, n: number, sample: Int32Array, xy: Float32Array, random: () => number): void {
  const proj = new Float32Array(dims * PROJECTED)
  for (let i = 0; i < proj.length; i++) proj[i] = gaussian(random)
  const project = (i: number, out: Float32Array, at: number): void => {
    for (let p = 0; p < PROJECTED; p++) {
      let v = 0
      for (let j = 0; j < dims; j++) v += vectors[i * dims + j] * proj[j * PROJECTED + p]
      out[at + p] = v
    }
  }
  const s = sample.length
  const sp = new Float32Array(s * PROJECTED)
  sample.forEach((i, j) => project(i, sp, j * PROJECTED))
  const cells = Math.max(1, Math.min(CELLS, Math.floor(s / 8)))
  const km = kMeans(sp, s, PROJECTED, cells, { seed: 7, maxIterations: 20 })
  const members: number[][] = Array.from({ length: cells }, () => [])
  km.assignment.forEach((c, j) => members[c].push(j))
  const inSample = new Uint8Array(n)
  for (const i of sample) inSample[i] = 1
  const q = new Float32Array(PROJECTED)
  const bestD = new Float64Array(PLACE_NEIGHBOURS)
  const bestJ = new Int32Array(PLACE_NEIGHBOURS)
  const cellD = new Float64Array(cells)
  const distance = (a: Float32Array, at: number): number => {
    let d = 0
    for (let p = 0; p < PROJECTED; p++) {
      const t = q[p] - a[at + p]
      d += t * t
    }
    return d
  }
  for (let i = 0; i < n; i++) {
    if (inSample[i]) continue
    project(i, q, 0)
    for (let c = 0; c < cells; c++) cellD[c] = distance(km.centroids, c * PROJECTED)
    const probes = Array.from(cellD.keys()).sort((a, b) => cellD[a] - cellD[b]).slice(0, PROBES)
    bestD.fill(Infinity)
    bestJ.fill(0)
    for (const c of probes) {
      for (const j of members[c]) {
        const d = distance(sp, j * PROJECTED)
        if (d >= bestD[PLACE_NEIGHBOURS - 1]) continue
        let m = PLACE_NEIGHBOURS - 1
        while (m > 0 && bestD[m - 1] > d) {
          bestD[m] = bestD[m - 1]
          bestJ[m] = bestJ[m - 1]
          m--
        }
        bestD[m] = d
        bestJ[m] = j
      }
    }
    let wx = 0
    let wy = 0
    let w = 0
    for (let m = 0; m < PLACE_NEIGHBOURS; m++) {
      if (!Number.isFinite(bestD[m])) continue
      const weight = 1 / (Math.sqrt(bestD[m]) + 1e-6)
      wx += weight * xy[sample[bestJ[m]] * 2]
      wy += weight * xy[sample[bestJ[m]] * 2 + 1]
      w += weight
    }
    xy[i * 2] = wx / w
    xy[i * 2 + 1] = wy / w
  }
}
