/** Shared fixtures for the vector index tests: temp folders, seeded data, brute-force truth. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GaussianMixture } from '../../../../bench/support/synthetic-vectors.js'
import { MapVectorSource } from '../../../../src/main/engine/index/vector-source.js'
import type { SearchHit } from '../../../../src/main/engine/index/exact-search.js'

/** A fresh temp folder and its cleanup. */
export function tempFolder(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'constella-index-'))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** `n` clustered vectors as rows, keyed firstKey, firstKey + 1, ... */
export function clusteredRows(n: number, dims: number, seed: number, firstKey = 1): [number, Float32Array][] {
  const mixture = new GaussianMixture({ dims, clusters: 32, rank: 8, seed: 7 })
  const m = mixture.sample(n, seed)
  return Array.from({ length: n }, (_, i) => [firstKey + i, m.slice(i * dims, (i + 1) * dims)])
}

/** A source holding `n` clustered vectors. */
export function clusteredSource(n: number, dims: number, seed = 1): MapVectorSource {
  return new MapVectorSource(clusteredRows(n, dims, seed))
}

/** Queries drawn from the same mixture as `clusteredSource` (never in it). */
export function queries(q: number, dims: number, seed = 999): Float32Array[] {
  return clusteredRows(q, dims, seed).map(([, v]) => v)
}

/** Cosine similarity in float64. */
export function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0, aa = 0, bb = 0
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i]
    aa += a[i] * a[i]
    bb += b[i] * b[i]
  }
  return ab / Math.sqrt(aa * bb)
}

/** Exact top-k by cosine over a source, in float64, optionally filtered. */
export function bruteForce(
  source: MapVectorSource, query: Float32Array, k: number, filter?: (key: number) => boolean,
): SearchHit[] {
  const all: SearchHit[] = []
  for (const [key, v] of source.vectors) {
    if (!filter || filter(key)) all.push({ key, similarity: cosine(query, v) })
  }
  return all.sort((a, b) => b.similarity - a.similarity).slice(0, k)
}

/** Share of the true top-k keys that `got` found. */
export function recall(got: SearchHit[], truth: SearchHit[]): number {
  if (truth.length === 0) return 1
  const want = new Set(truth.map((h) => h.key))
  return got.filter((h) => want.has(h.key)).length / truth.length
}

/** Mean recall@k of `search` over `qs`. */
export function meanRecall(
  source: MapVectorSource, qs: Float32Array[], k: number, search: (q: Float32Array) => SearchHit[],
): number {
  let sum = 0
  for (const q of qs) sum += recall(search(q), bruteForce(source, q, k))
  return sum / qs.length
}
