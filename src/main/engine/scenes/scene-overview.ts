/**
 * What the Scenes view and the heatmaps read: the overview (sizes, names from characteristic
 * labels, typical photos, strongest pairs, balance) and one co-occurrence matrix P^s (SALGL
 * eq. 8: P(b | a) = C_ab / C_aa), from the stored counts and totals — never from every photo, so
 * both stay fast at 100,000 photos. Call `refreshScenes` first to fold in pending changes.
 */
import type { Database } from 'better-sqlite3'
import type { CooccurrenceMatrix, ScenesOverview } from '../../../shared/scene-types.js'
import { SceneLabelReads } from '../store/scene-label-reads.js'
import { SceneRepository } from '../store/scene-repository.js'
import { entropyOf } from './balance.js'
import { characteristicLabels, labelCount, pairCounts, sceneName, strongestPairs, type PairCounts } from './characteristic.js'

/** Options of the reads. */
export interface SceneReadOptions {
  nameOf: (classId: number) => string
  /** Typical photos per scene. Default 12. */
  typical?: number
  now?: () => number
}

const NOT_READY: ScenesOverview = {
  ready: false, k: 0, photos: 0, entropy: { batch: 0, perPhoto: 0, max: 0 }, labelSource: '', computedAt: null, stalePhotos: 0, scenes: [],
}

/** Counts of every scene and of the library. */
function allCounts(repo: SceneRepository): { scenes: Map<number, PairCounts>; library: PairCounts } {
  const byScene = new Map<number, { a: number; b: number; n: number }[]>()
  const all: { a: number; b: number; n: number }[] = []
  for (const r of repo.allCounts()) {
    let list = byScene.get(r.scene)
    if (!list) byScene.set(r.scene, (list = []))
    list.push(r)
    all.push(r)
  }
  return { scenes: new Map([...byScene].map(([s, rows]) => [s, pairCounts(rows)])), library: pairCounts(all) }
}

/** The scenes of the library (not ready before the first compute). */
export function readScenesOverview(db: Database, options: SceneReadOptions): ScenesOverview {
  const repo = new SceneRepository(db, options.now ?? Date.now)
  const model = repo.model()
  if (!model) return NOT_READY
  const totals = repo.totals()
  const size = new Map(totals.map((t) => [t.scene, t.photos]))
  const photos = totals.reduce((s, t) => s + t.photos, 0)
  const { scenes: counts, library } = allCounts(repo)
  const human = new SceneLabelReads(db, Date.now).humanPositives()
  const scenes = Array.from({ length: model.k }, (_, id) => {
    const c = counts.get(id) ?? new Map()
    const n = size.get(id) ?? 0
    const labels = characteristicLabels(c, n, library, photos, options.nameOf)
    return { id, name: sceneName(labels, id), size: n, labels, typical: repo.typical(id, options.typical ?? 12), pairs: strongestPairs(c, options.nameOf, { minCount: Math.max(3, Math.ceil(0.03 * n)) }) }
  })
  return {
    ready: true, k: model.k, photos,
    entropy: {
      batch: entropyOf(Array.from({ length: model.k }, (_, m) => Math.max(0, totals.find((t) => t.scene === m)?.piSum ?? 0))),
      perPhoto: photos > 0 ? totals.reduce((s, t) => s + t.entropySum, 0) / photos : 0,
      max: Math.log(model.k),
    },
    labelSource: human > 0
      ? `effective labels: the ${human} positive labels people set, the model's labels for everything else`
      : 'model labels (no person has labelled these photos yet; labels people set replace them)',
    computedAt: model.createdAt, stalePhotos: repo.assignedAfter(model.createdAt) + repo.dirtyCount(), scenes,
  }
}

/**
 * P^s of a scene (or of the library) over `classIds`, or over the `top` labels most frequent in it
 * (the ones its co-occurrence is about), most frequent first.
 */
export function readCooccurrence(db: Database, scene: number | 'global', options: SceneReadOptions & { classIds?: number[]; top?: number }): CooccurrenceMatrix {
  const repo = new SceneRepository(db, options.now ?? Date.now)
  const c = pairCounts(repo.counts(scene))
  const totals = repo.totals()
  const photos = scene === 'global' ? totals.reduce((s, t) => s + t.photos, 0) : (totals.find((t) => t.scene === scene)?.photos ?? 0)
  const classIds = options.classIds ?? [...c.keys()]
    .map((a) => ({ a, n: labelCount(c, a) })).filter((x) => x.n > 0)
    .sort((x, y) => y.n - x.n || x.a - y.a).slice(0, options.top ?? 16).map((x) => x.a)
  const counts = classIds.map((a) => labelCount(c, a))
  const p = classIds.map((a, i) => classIds.map((b) => (counts[i] > 0 ? (c.get(a)?.get(b) ?? 0) / counts[i] : 0)))
  return { scene, photos, classIds, names: classIds.map(options.nameOf), counts, p }
}
