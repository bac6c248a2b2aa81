/**
 * Keeps the scenes right as the library changes, without a recompute: triggers (migration 005)
 * mark every photo whose labels, context feature or existence changed; this re-counts just those
 * photos — their old labels are taken out of C^s of their old scene, their current effective
 * labels put into the scene the model assigns them now (a newly indexed photo gets assigned by
 * the model in force) — so the counts always equal a count from scratch over the current labels.
 */
import type { Database } from 'better-sqlite3'
import { SceneLabelReads } from '../store/scene-label-reads.js'
import { SceneRepository } from '../store/scene-repository.js'
import { blobToVector } from '../store/vector-blob.js'
import { CountAccumulator, rowEntropy } from './scene-counting.js'
import { modelFromBlob, scenePosteriors, standardise } from './scene-model.js'

/** Re-counts up to `limit` marked photos in one transaction; returns how many (0: nothing was marked). */
export function refreshScenes(db: Database, limit = 5000, now: () => number = Date.now): number {
  const repo = new SceneRepository(db, now)
  return db.transaction(() => {
    const ids = repo.dirty(limit)
    if (ids.length === 0) return 0
    const stored = repo.model()
    if (!stored) {
      repo.clearDirty('all') // the first compute counts every photo
      return ids.length
    }
    const model = modelFromBlob(stored.params, stored.k, stored.dims)
    const k = model.k
    const reads = new SceneLabelReads(db, now)
    const labels = reads.positives(ids)
    const feature = db.prepare(`SELECT e.vector FROM embeddings e JOIN photos p ON p.id = e.photo_id
      WHERE e.photo_id = ? AND e.object_id IS NULL AND e.method = ? AND p.status = 'indexed'`)
    const counts = new CountAccumulator()
    for (const id of ids) {
      const old = repo.assignment(id)
      if (old) {
        counts.add(old.scene, old.labels, -1)
        const piOld = new Float64Array(k)
        old.pi.forEach((p, m) => (piOld[m] = -p))
        addTotals(repo, old.scene, -1, piOld, -old.entropy)
      }
      const row = feature.get(id, stored.method) as { vector: Buffer } | undefined
      if (!row || row.vector.byteLength !== stored.dims * 4) {
        if (old) repo.deleteAssignment(id)
        continue
      }
      const x = standardise(blobToVector(row.vector), 1, model)
      const pi = scenePosteriors(model, x, 1)
      let scene = 0
      for (let m = 1; m < k; m++) if (pi[m] > pi[scene]) scene = m
      const own = labels.get(id) ?? new Int32Array(0)
      const entropy = rowEntropy(pi)
      const same = old !== undefined && old.modelId === stored.id && old.pi.every((p, m) => Math.abs(p - pi[m]) < 1e-6)
      repo.putAssignment({ photoId: id, scene, confidence: pi[scene], entropy, pi, labels: own, modelId: stored.id }, same ? old.assignedAt : now())
      counts.add(scene, own, 1)
      addTotals(repo, scene, 1, Float64Array.from(pi), entropy)
    }
    for (const [scene, a, b, n] of counts.entries()) repo.addCount(scene, a, b, n)
    repo.pruneCounts()
    repo.clearDirty(ids)
    return ids.length
  })()
}

/** Adds one photo's share to the totals: `photos` to its scene, pi_k to every scene k. */
function addTotals(repo: SceneRepository, scene: number, photos: number, pi: Float64Array, entropy: number): void {
  for (let m = 0; m < pi.length; m++) repo.addTotal(m, m === scene ? photos : 0, pi[m], m === scene ? entropy : 0)
}
