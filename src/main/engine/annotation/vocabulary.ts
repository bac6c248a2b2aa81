/**
 * The label vocabulary of a library: the head's classes (COCO's 80, ids 0..79) plus the names a
 * person added (ids from 1000, kept in the library). Names are matched forgiving case, spaces,
 * underscores and hyphens, and other datasets' spellings of the same class (VOC's `aeroplane`,
 * `motorbike`, `sofa`, `diningtable`, `tvmonitor`, `pottedplant`) are the head's class. A new name
 * is accepted only when GloVe has a vector for every word of it: the head needs one per label.
 */
import { CUSTOM_CLASS_BASE, VocabularyRepository, type VocabularyEntry } from '../store/vocabulary-repository.js'
import { normaliseClassName, UnknownWordError } from '../pipeline/label-vectors.js'
import { AnnotationError } from './annotation-error.js'

/** Word-vector lookup (the pack's GloVe table): throws `UnknownWordError` for a word it lacks. */
export interface WordLookup {
  vector(phrase: string): Float32Array
}

/** Other spellings of the head's (COCO) classes, keyed by normalised name. */
export const CLASS_SYNONYMS: Readonly<Record<string, string>> = Object.freeze({
  aeroplane: 'airplane',
  motorbike: 'motorcycle',
  sofa: 'couch',
  diningtable: 'dining table',
  tvmonitor: 'tv',
  'tv monitor': 'tv',
  pottedplant: 'potted plant',
  'hair dryer': 'hair drier',
  cellphone: 'cell phone',
})

/** A name as the vocabulary compares it: lowercase, words joined by one space. */
export function normaliseName(name: string): string {
  return name.trim().toLowerCase().split(/[\s_-]+/).filter(Boolean).join(' ')
}

/** One name of the vocabulary. */
export interface VocabularyItem {
  classId: number
  name: string
  /** Added by a person (not a class of the head). */
  custom: boolean
}

/** What a typed name is: a known class, an addable new name, or a name GloVe has no vector for. */
export type NameLookup =
  | { kind: 'known'; classId: number; name: string }
  | { kind: 'new'; name: string }
  | { kind: 'no-vector'; name: string; word: string; message: string }

/** The vocabulary of one library. */
export class Vocabulary {
  private readonly byName = new Map<string, number>()
  /** The added entries, read once (this connection is the library's one writer); see {@link refresh}. */
  private customEntries: VocabularyEntry[] | undefined

  constructor(
    /** The head's class names (index = class id). */
    readonly baseNames: readonly string[],
    private readonly repo: VocabularyRepository,
    private readonly words?: () => WordLookup,
  ) {
    baseNames.forEach((n, i) => this.byName.set(normaliseName(n), i))
    for (const [alias, name] of Object.entries(CLASS_SYNONYMS)) {
      const id = this.byName.get(name)
      if (id !== undefined && !this.byName.has(alias)) this.byName.set(alias, id)
    }
  }

  /** Forgets the added entries read so far (after a rolled-back transaction, or another writer). */
  refresh(): void {
    this.customEntries = undefined
  }

  private custom(): VocabularyEntry[] {
    return (this.customEntries ??= this.repo.list())
  }

  /** Every name: the head's classes, then the added ones. */
  items(): VocabularyItem[] {
    return [...this.baseNames.map((name, classId) => ({ classId, name, custom: false })),
      ...this.custom().map((e) => ({ classId: e.classId, name: e.name, custom: true }))]
  }

  /** The name of a class id (`class N` if unknown). */
  name(classId: number): string {
    if (classId < this.baseNames.length && classId >= 0) return this.baseNames[classId]
    return this.custom().find((e) => e.classId === classId)?.name ?? `class ${classId}`
  }

  /** Whether `classId` is in the vocabulary. */
  has(classId: number): boolean {
    if (Number.isInteger(classId) && classId >= 0 && classId < this.baseNames.length) return true
    return classId >= CUSTOM_CLASS_BASE && this.custom().some((e) => e.classId === classId)
  }

  /** The class id of a name (any spelling the vocabulary knows), or undefined. */
  find(name: string): number | undefined {
    const key = normaliseName(name)
    return this.byName.get(key) ?? this.custom().find((e) => e.name.toLowerCase() === key)?.classId
  }

  /** What `name` is; checks GloVe for a new name (loads the word vectors on first use). */
  lookup(name: string): NameLookup {
    const key = normaliseName(name)
    if (!key) throw new AnnotationError('bad-name', 'a label name needs at least one letter')
    const known = this.find(key)
    if (known !== undefined) return { kind: 'known', classId: known, name: this.name(known) }
    if (!this.words) {
      return { kind: 'no-vector', name: key, word: key, message: `"${key}" is not in the vocabulary, and no word vectors are loaded to add it` }
    }
    try {
      this.words().vector(normaliseClassName(key))
      return { kind: 'new', name: key }
    } catch (error) {
      if (!(error instanceof UnknownWordError)) throw error
      return {
        kind: 'no-vector', name: key, word: error.word,
        message: `GloVe has no vector for "${error.word}"${error.word === key ? '' : ` (in "${key}")`}, so "${key}" cannot be a label: ` +
          'the head needs a word vector per label. Check the spelling, or use a more common word',
      }
    }
  }

  /** The class id of `name`, adding it as a new entry if GloVe knows its words; throws `no-word-vector` otherwise. */
  resolveOrAdd(name: string, actor: string): { classId: number; added?: VocabularyEntry } {
    const found = this.lookup(name)
    if (found.kind === 'known') return { classId: found.classId }
    if (found.kind === 'no-vector') throw new AnnotationError('no-word-vector', found.message)
    const added = this.repo.add(found.name, actor)
    this.refresh()
    return { classId: added.classId, added }
  }

  /** Up to `limit` names for autocomplete: names starting with `prefix` first, then names containing it. */
  complete(prefix: string, limit = 10): VocabularyItem[] {
    const q = normaliseName(prefix)
    const items = this.items()
    if (!q) return items.slice(0, limit)
    const starts = items.filter((i) => normaliseName(i.name).startsWith(q))
    const contains = items.filter((i) => !normaliseName(i.name).startsWith(q) && normaliseName(i.name).includes(q))
    return [...starts, ...contains].slice(0, limit)
  }
}
