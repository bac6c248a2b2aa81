/**
 * `constella search`: find library photos like a library photo, an outside photo, one object, or
 * several boxed objects at once, optionally with labels they must (not) have. Every result says
 * why: matched object pairs with their cost, and the labels shared with the query.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { Library } from '../../main/engine/library/library.js'
import { libraryPaths } from '../../main/engine/library/library-paths.js'
import { describeDamaged } from '../../main/engine/library/vector-repair.js'
import { resolveProviderSetting } from '../../main/engine/models/sessions.js'
import { parseClassNames, UnknownClassError } from '../../main/engine/search/class-names.js'
import { QueryError } from '../../main/engine/search/query.js'
import { DEFAULT_K, search } from '../../main/engine/search/search-service.js'
import { queryToJson } from '../../main/engine/search/serialize.js'
import type { Box } from '../../main/engine/store/types.js'
import type { QuerySpec, ResolvedQuery, SearchResult } from '../../main/engine/search/types.js'
import type { Command } from '../index.js'
import { table } from '../format.js'

const USAGE = 'constella search <photo | --id N | --object N | --box x1,y1,x2,y2 [--box ...] <photo | --id N>> [--k 20] [--with dog,cat] [--without person] [--json] [--library DIR]'

/** A usage mistake: printed with the usage line, exit code 2. */
class UsageError extends Error {}

/** Parses "x1,y1,x2,y2" (photo pixels). */
export function parseBox(text: string): Box {
  const parts = text.split(',').map((s) => s.trim())
  const v = parts.map(Number)
  if (parts.length !== 4 || parts.some((p) => p === '') || v.some((x) => !Number.isFinite(x))) {
    throw new UsageError(`bad --box "${text}": expected four numbers x1,y1,x2,y2 in photo pixels, e.g. --box 10,20,200,240`)
  }
  if (!(v[2] > v[0] && v[3] > v[1])) throw new UsageError(`bad --box "${text}": x2 must exceed x1 and y2 must exceed y1`)
  return [v[0], v[1], v[2], v[3]]
}

function positiveInt(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const n = Number(text)
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer (got ${text})`)
  return n
}

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)])

/** What the options ask to search by, checked before the library is opened. */
interface QueryArgs {
  id?: number
  objectId?: number
  boxes: Box[]
  photo?: string
}

function queryArgs(values: Record<string, unknown>, photos: string[]): QueryArgs {
  const id = positiveInt('id', values.id as string | undefined)
  const objectId = positiveInt('object', values.object as string | undefined)
  const boxes = list(values.box).map(parseBox)
  if (photos.length > 1) throw new UsageError(`give one photo, not ${photos.length}`)
  const sources = [id !== undefined, objectId !== undefined, photos.length === 1].filter(Boolean).length
  if (objectId !== undefined && (sources > 1 || boxes.length > 0)) throw new UsageError('--object cannot be combined with a photo, --id or --box')
  if (sources !== 1) throw new UsageError('give exactly one of: a photo, --id N, --object N')
  return { id, objectId, boxes, photo: photos[0] }
}

/** The query spec of checked arguments (a --box query on --id N uses that photo's file). */
function querySpec(a: QueryArgs, lib: Library): QuerySpec {
  if (a.objectId !== undefined) return { kind: 'object-id', objectId: a.objectId }
  if (a.boxes.length === 0) return a.id !== undefined ? { kind: 'photo-id', photoId: a.id } : { kind: 'photo-file', file: a.photo! }
  let file = a.photo!
  if (a.id !== undefined) {
    const photo = lib.store.photos.get(a.id)
    if (!photo) throw new QueryError('no-such-photo', `photo ${a.id} is not in the library`)
    file = photo.path
  }
  return { kind: 'boxes', file, boxes: a.boxes }
}

/** A path made short for a table cell: relative to the working folder when that is shorter, middle elided. */
export function shortPath(p: string, max = 48): string {
  const rel = path.relative(process.cwd(), p)
  const s = rel.length < p.length && !rel.startsWith('..' + path.sep + '..') ? rel : p
  return s.length <= max ? s : `${s.slice(0, 12)}…${s.slice(s.length - (max - 13))}`
}

/** "dog↔dog (0.08)" per matched pair. */
export function formatMatches(r: SearchResult, limit = 4): string {
  const m = r.explanation.matches
  const shown = m.slice(0, limit).map((x) => `${x.queryObject.className}↔${x.resultObject.className} (${x.cost.toFixed(2)})`)
  return shown.join(', ') + (m.length > limit ? ` +${m.length - limit}` : '')
}

function describe(query: ResolvedQuery): string {
  const where = query.photoId !== undefined ? `library photo ${query.photoId}` : 'outside photo (analysed now, not stored)'
  const what = query.mode === 'photo' ? `${query.objects.length} objects` : `${query.objects.map((o) => o.className + (o.origin === 'box' ? ' (from box)' : '')).join(' + ')}`
  return `query: ${query.path ? shortPath(query.path, 80) : ''} — ${where}; ${what}`
}

/** For a --box query: what each given box was taken to be (snapped to a detection, or used as drawn). */
export function describeBoxes(query: ResolvedQuery): string[] {
  if (query.spec.kind !== 'boxes') return []
  const many = query.objects.length > 1
  return query.objects.map((o, i) => {
    const which = many ? `your box ${i + 1}` : 'your box'
    const iou = (o.boxIou ?? 0).toFixed(2)
    if (o.origin === 'stored') return `${which} was matched to the stored '${o.className}' detection (IoU ${iou}) and searches with its stored embedding`
    if (o.origin === 'detected') return `${which} was matched to the '${o.className}' detection in this photo (IoU ${iou})`
    return `${which} matched no detection, so it is searched as drawn (classified as '${o.className}')`
  })
}

/** The line above the results that says what the numbers are. */
export function resultsHeader(query: ResolvedQuery): string {
  const similarity = query.mode === 'photo'
    ? 'similarity = cosine of the photo embeddings (1 = identical, 0 = unrelated)'
    : 'similarity = per query object, the cosine to its most similar object in the photo (1 = identical), averaged'
  return `${similarity}; matched objects: query↔result (pair cost = 1 - cosine of the two objects, lower = closer)`
}

export const searchCommand: Command = {
  summary: 'find photos like a photo, an outside photo, an object, or several boxed objects; each result explained',
  usage: USAGE,
  options: {
    id: { type: 'string' },
    object: { type: 'string' },
    box: { type: 'string', multiple: true },
    k: { type: 'string' },
    with: { type: 'string', multiple: true },
    without: { type: 'string', multiple: true },
  },
  async run(values, photos) {
    const fail = (err: unknown): number => {
      if (err instanceof UsageError || err instanceof UnknownClassError) {
        console.error(`constella search: ${err.message}\nusage: ${USAGE}`)
        return 2
      }
      if (err instanceof QueryError) {
        console.error(`constella search: ${err.message}`)
        return 1
      }
      throw err
    }
    let k: number
    let args: QueryArgs
    try {
      k = positiveInt('k', values.k as string | undefined) ?? DEFAULT_K
      args = queryArgs(values, photos)
    } catch (err) {
      return fail(err)
    }
    const paths = libraryPaths()
    if (!existsSync(paths.database)) {
      console.error(`constella search: no library at ${paths.dir}: run \`constella index <folder>${values.library ? ` --library ${values.library}` : ''}\` first`)
      return 1
    }
    // Read-only: works while `constella index` or the app writes the library, and changes nothing.
    const lib = await Library.open({ dir: paths.dir, provider: resolveProviderSetting(), readOnly: true })
    try {
      for (const line of describeDamaged(lib.damaged, false)) console.error(`warning: ${line}`)
      const names = lib.head.header.classNames
      const mustHave = parseClassNames(list(values.with), names)
      const mustNotHave = parseClassNames(list(values.without), names)
      const both = mustHave.filter((c) => mustNotHave.includes(c))
      if (both.length) throw new UsageError(`"${names[both[0]]}" is both in --with and --without`)
      const { query, results } = await search(lib, querySpec(args, lib), { k, mustHave, mustNotHave })
      if (values.json) {
        console.log(JSON.stringify({ query: queryToJson(query, names), results }, null, 2))
        return 0
      }
      console.log(describe(query))
      for (const line of describeBoxes(query)) console.log(line)
      console.log(`labels: ${query.labels.map((c) => names[c]).join(', ') || '(none)'}\n`)
      if (results.length === 0) {
        console.log('no photos match' + (mustHave.length || mustNotHave.length ? ' these label filters' : ''))
        return 0
      }
      console.log(resultsHeader(query))
      console.log(table(['#', 'similarity', 'photo', 'shared labels', 'matched objects'], results.map((r, i) => [
        i + 1, r.similarity.toFixed(3), shortPath(r.path), r.explanation.sharedLabels.join(', ') || '-', formatMatches(r) || '-',
      ])))
      return 0
    } catch (err) {
      return fail(err)
    } finally {
      await lib.close()
    }
  },
}
