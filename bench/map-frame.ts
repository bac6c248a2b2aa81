/**
 * The embedding map at 100,000 photos, without a browser: a synthetic `map.get` reply (clustered
 * UMAP-like layout, 6 scenes, a label on 20%) decoded from base64, its point index built, the
 * colours computed, and frames rasterised at 1280x800 CSS px (dpr 1 and 2) for the whole view and
 * zoomed in; then hover picks and a lasso selection. Median and p95 of each, in ms.
 *
 *   npx tsx bench/map-frame.ts [--points N]   (default 100000)
 *
 * Not timed: `putImageData` and compositing (the browser's part; a few ms for a 1-4 MP frame).
 */
import { pointColors } from '../src/renderer/components/map/map-colors.js'
import { fitTransform, pointRadius, rasterizePoints, zoomAt } from '../src/renderer/components/map/map-raster.js'
import { pointsInPolygon } from '../src/renderer/lib/geometry/lasso.js'
import { buildPointIndex, nearestPoint } from '../src/renderer/lib/geometry/point-index.js'
import { decodeMap } from '../src/renderer/lib/managers/embedding-map.svelte.js'
import type { EmbeddingMap } from '../src/shared/scene-types.js'

const arg = process.argv.indexOf('--points')
const N = arg > 0 ? Number(process.argv[arg + 1]) : 100_000

function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32)
}

function syntheticMap(n: number): EmbeddingMap {
  const r = rng(42)
  const gauss = (): number => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r())
  const centres = Array.from({ length: 12 }, () => [r() * 20 - 10, r() * 20 - 10])
  const ids = new Int32Array(n)
  const xy = new Float32Array(2 * n)
  const scenes = new Uint8Array(n)
  const label = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    const c = Math.floor(r() * centres.length)
    ids[i] = i + 1
    xy[2 * i] = centres[c][0] + gauss() * 1.2
    xy[2 * i + 1] = centres[c][1] + gauss() * 1.2
    scenes[i] = c % 6
    label[i] = r() < 0.2 ? 1 : 0
  }
  const b64 = (a: ArrayBufferView): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64')
  return { ready: true, count: n, ids: b64(ids), xy: b64(xy), scenes: b64(scenes), label: b64(label), computedAt: 1 }
}

function time(label: string, runs: number, fn: (k: number) => void): void {
  const ms: number[] = []
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now()
    fn(k)
    ms.push(performance.now() - t0)
  }
  ms.sort((a, b) => a - b)
  const q = (p: number): string => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))].toFixed(2)
  console.log(`${label.padEnd(44)} median ${q(0.5).padStart(7)} ms   p95 ${q(0.95).padStart(7)} ms   (${runs} runs)`)
}

const reply = syntheticMap(N)
console.log(`map of ${N.toLocaleString('en')} photos; reply ${(JSON.stringify(reply).length / 1e6).toFixed(2)} MB of JSON`)
let map = decodeMap(reply)
time('decode base64 -> typed arrays', 5, () => (map = decodeMap(reply)))
let index = buildPointIndex(map.xy, map.count)
time('build point index', 5, () => (index = buildPointIndex(map.xy, map.count)))
let painted = pointColors({ count: map.count, scenes: map.scenes, label: null, selection: new Int32Array(0) })
time('colours by scene', 10, () => (painted = pointColors({ count: map.count, scenes: map.scenes, label: null, selection: new Int32Array(0) })))
time('colours by label, 5,000 selected', 10, () => pointColors({ count: map.count, scenes: map.scenes, label: map.label, selection: Int32Array.from({ length: 5000 }, (_, i) => i * 7) }))

for (const dpr of [1, 2]) {
  const w = 1280 * dpr
  const h = 800 * dpr
  const pixels = new Uint32Array(w * h)
  const fit = fitTransform(index.bounds, 1280, 800, 28)
  const device = (t: typeof fit) => ({ scale: t.scale * dpr, tx: t.tx * dpr, ty: t.ty * dpr })
  const input = { xy: map.xy, count: map.count, colors: painted.colors, layer: painted.layer, radius: pointRadius(map.count, 1, dpr) }
  time(`frame, whole map, dpr ${dpr} (r=${input.radius})`, 30, () => rasterizePoints(pixels, w, h, { ...input, transform: device(fit) }))
  const zoomed = zoomAt(fit, 8, 640, 400, fit.scale, fit.scale * 400)
  time(`frame, zoomed 8x, dpr ${dpr}`, 30, () => rasterizePoints(pixels, w, h, { ...input, radius: pointRadius(map.count, 8, dpr), transform: device(zoomed) }))
}

const r = rng(7)
const fit = fitTransform(index.bounds, 1280, 800, 28)
time('hover pick (nearest within 9 px), x1000', 5, () => {
  for (let k = 0; k < 1000; k++) nearestPoint(index, r() * 20 - 10, r() * 20 - 10, 9 / fit.scale)
})
const lasso: number[] = []
for (let a = 0; a < 2 * Math.PI; a += Math.PI / 60) lasso.push(Math.cos(a) * 6 * (1 + 0.3 * Math.sin(5 * a)), Math.sin(a) * 6)
let hits: Int32Array = new Int32Array(0)
time('lasso of 120 vertices over the middle', 10, () => (hits = pointsInPolygon(index, lasso)))
console.log(`lasso selected ${hits.length.toLocaleString('en')} photos`)
