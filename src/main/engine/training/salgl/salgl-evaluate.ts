/**
 * Classification on held-out photos from cached head inputs: the salgl head's refined label
 * scores next to the detector's own (the label histogram) and, when given, a SARL-GAT head's
 * classifier, with the papers' metrics (`shared/metrics/classification.ts`), for all photos and
 * per dataset split among them (e.g. val2017), and the balance of the held-out scene assignment.
 */
import { classificationMetrics, type ClassificationMetrics } from '../../../../shared/metrics/classification.js'
import type { HeadParams } from '../../head/head-params.js'
import { headOutputs } from '../evaluate-cached.js'
import type { CachedPhoto } from '../input-cache.js'
import { assignmentEntropy, sceneAssignment, sceneSizes } from './cooccurrence.js'
import type { SalglParams } from './salgl-params.js'
import { salglForward } from './salgl-reference.js'

/** Classification metrics by method ('detector', 'salgl', 'sarl-gat'). */
export type ClsByMethod = Record<string, ClassificationMetrics>

/** A held-out report. */
export interface SalglHeldOut {
  photos: number
  methods: ClsByMethod
  /** The same per dataset split among the photos (when there are several). */
  parts: Record<string, { photos: number; methods: ClsByMethod }>
  /** Scene sizes of the held-out photos (argmax of pi) and their entropy (nats; ln K = balanced). */
  scenes: { sizes: number[]; entropy: number }
}

/** The salgl head's label scores of `photos` (typed-array reference). */
export function salglScores(p: SalglParams, photos: readonly CachedPhoto[]): Float32Array[] {
  return photos.map((ph) => salglForward(p, ph.input.photoFeature, ph.input.photoEvidence).scores)
}

/** Scores `photos` (see the module comment). */
export function evaluateSalgl(p: SalglParams, photos: readonly CachedPhoto[], sarlGat?: HeadParams): SalglHeldOut {
  const C = p.header.classNames.length
  const K = p.header.scenes
  const outputs = photos.map((ph) => salglForward(p, ph.input.photoFeature, ph.input.photoEvidence))
  const scores: Record<string, Float32Array[]> = {
    detector: photos.map((ph) => ph.input.photoEvidence),
    salgl: outputs.map((o) => o.scores),
    ...(sarlGat ? { 'sarl-gat': headOutputs(sarlGat, photos).scores! } : {}),
  }
  const score = (idx: number[]): ClsByMethod => Object.fromEntries(Object.entries(scores).map(([name, s]) => [name, classificationMetrics(idx.map((i) => s[i]), idx.map((i) => photos[i].labels), C)]))
  const all = photos.map((_, i) => i)
  const names = [...new Set(photos.map((ph) => ph.split).filter((s): s is string => !!s))]
  const parts = names.length > 1
    ? Object.fromEntries(names.map((n) => {
      const idx = all.filter((i) => photos[i].split === n)
      return [n, { photos: idx.length, methods: score(idx) }]
    }))
    : {}
  const pi = new Float32Array(photos.length * K)
  outputs.forEach((o, b) => pi.set(o.pi, b * K))
  const sizes = sceneSizes(sceneAssignment(pi, K), K)
  return { photos: photos.length, methods: score(all), parts, scenes: { sizes, entropy: assignmentEntropy(sizes) } }
}
