/**
 * The positive labels of library photos (the effective label: a person's decision wins over the
 * model's), read once per photo and search call, and the label filter of a search.
 */
import type { SearchContext } from './context.js'

/** Per-call cache of each photo's positive class ids. */
export class PhotoLabelCache {
  private readonly cache = new Map<number, Set<number>>()

  constructor(private readonly labels: SearchContext['labels']) {}

  /** The photo's positive class ids. */
  positives(photoId: number): Set<number> {
    let set = this.cache.get(photoId)
    if (!set) {
      set = new Set(this.labels.effective(photoId).filter((l) => l.state === 'positive').map((l) => l.classId))
      this.cache.set(photoId, set)
    }
    return set
  }
}

/** What a result photo must and must not be labelled with, plus photos never to return. */
export interface PhotoFilterSpec {
  mustHave?: readonly number[]
  mustNotHave?: readonly number[]
  exclude?: readonly number[]
}

/** A predicate over photo ids: not excluded, every must-have label positive, no must-not label positive. */
export function photoFilter(labels: PhotoLabelCache, spec: PhotoFilterSpec): (photoId: number) => boolean {
  const exclude = new Set(spec.exclude ?? [])
  const must = spec.mustHave ?? []
  const mustNot = spec.mustNotHave ?? []
  const clash = must.find((c) => mustNot.includes(c))
  if (clash !== undefined) throw new Error(`class ${clash} is both required and excluded`)
  return (photoId) => {
    if (exclude.has(photoId)) return false
    if (must.length === 0 && mustNot.length === 0) return true
    const positives = labels.positives(photoId)
    return must.every((c) => positives.has(c)) && !mustNot.some((c) => positives.has(c))
  }
}
