/**
 * `constella scenes`: the library's scenes (SALGL scenes found without scene labels) with their
 * sizes, characteristic labels, balance and strongest label pairs. Reading only opens the library
 * read-only (works beside `constella index` or the app); computing (`--compute`, a `--k` other
 * than the stored K, or no scenes yet) writes, so it takes the library lock.
 */
import { existsSync } from 'node:fs'
import { acquireLibraryLock, LibraryInUseError } from '../../main/engine/library/library-lock.js'
import { libraryPaths } from '../../main/engine/library/library-paths.js'
import { computeScenes } from '../../main/engine/scenes/compute-scenes.js'
import { readScenesOverview } from '../../main/engine/scenes/scene-overview.js'
import { classNamer } from '../../main/engine/scenes/scene-names.js'
import { refreshScenes } from '../../main/engine/scenes/scene-refresh.js'
import { LibraryStore } from '../../main/engine/store/index.js'
import { SceneRepository } from '../../main/engine/store/scene-repository.js'
import { COCO_CLASSES } from '../../shared/class-names.js'
import type { ScenesOverview } from '../../shared/scene-types.js'
import type { Command } from '../index.js'

const USAGE = 'constella scenes [--k N] [--compute] [--seed N] [--library DIR] [--json]'
/** K when neither --k nor a stored model says otherwise (the app's `sceneCount` default). */
const DEFAULT_K = 6

/** The `--json` shape: `{k, entropy, scenes: [{id, size, labels: [names by how characteristic], pairs: [[a, b, p]]}]}`. */
export function scenesJson(o: ScenesOverview): unknown {
  return {
    k: o.k, entropy: o.entropy,
    scenes: o.scenes.map((s) => ({ id: s.id, size: s.size, labels: s.labels.map((l) => l.name), pairs: s.pairs })),
  }
}

function print(o: ScenesOverview, dir: string): void {
  const pct = (x: number) => `${(100 * x).toFixed(0)}%`
  console.log(`library: ${dir}: ${o.photos} photos in ${o.k} scenes (labels counted: ${o.labelSource})`)
  console.log(`balance: entropy of the mean assignment ${o.entropy.batch.toFixed(3)} of ${o.entropy.max.toFixed(3)} (ln K), mean per-photo entropy ${o.entropy.perPhoto.toFixed(3)}`)
  if (o.stalePhotos > 0) console.log(`${o.stalePhotos} photos were assigned or changed after the model was trained: \`constella scenes --compute\` retrains`)
  for (const s of o.scenes) {
    console.log(`\nscene ${s.id}: ${s.name} — ${s.size} photos (${pct(o.photos ? s.size / o.photos : 0)})`)
    console.log(`  characteristic: ${s.labels.map((l) => `${l.name} (${pct(l.share)}, x${l.lift.toFixed(1)})`).join(', ') || '(none stands out)'}`)
    console.log(`  strongest pairs: ${s.pairs.map(([a, b, p]) => `${a} -> ${b} ${p.toFixed(2)}`).join(', ') || '(none)'}`)
  }
}

function intOption(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined
  const n = Number(text)
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer from ${min} to ${max}, got "${text}"`)
  return n
}

export const scenesCommand: Command = {
  summary: 'scenes found without scene labels: sizes, characteristic labels, balance, strongest label pairs',
  usage: USAGE,
  options: { k: { type: 'string' }, compute: { type: 'boolean' }, seed: { type: 'string' } },
  async run(values) {
    let k: number | undefined
    let seed: number
    try {
      k = intOption('k', values.k as string | undefined, 1, 32)
      seed = intOption('seed', values.seed as string | undefined, 0, 2 ** 31) ?? 1
    } catch (err) {
      console.error(`constella scenes: ${(err as Error).message}\nusage: ${USAGE}`)
      return 2
    }
    const paths = libraryPaths()
    if (!existsSync(paths.database)) {
      console.error(`constella scenes: no library at ${paths.dir}: run \`constella index <folder>\` first`)
      return 1
    }
    const reader = LibraryStore.open(paths.database, { readOnly: true })
    let stored: number | undefined
    try {
      stored = new SceneRepository(reader.db, Date.now).model()?.k
    } catch {
      stored = undefined // a library from before scenes: computing migrates it
    } finally {
      reader.close()
    }
    const compute = Boolean(values.compute) || stored === undefined || (k !== undefined && k !== stored)
    let lock
    try {
      lock = compute ? acquireLibraryLock(paths.dir, { command: 'constella scenes' }) : undefined
    } catch (err) {
      if (!(err instanceof LibraryInUseError)) throw err
      console.error(`constella scenes: computing scenes writes the library, and ${err.message}`)
      return 1
    }
    const store = LibraryStore.open(paths.database, { readOnly: !compute })
    try {
      if (compute) {
        const want = k ?? stored ?? DEFAULT_K
        if (!values.json) console.error(`finding ${want} scenes (seed ${seed}) ...`)
        await computeScenes(store.db, store.file, { k: want, seed })
      } else if (!store.readOnly) refreshScenes(store.db)
      const overview = readScenesOverview(store.db, { nameOf: classNamer(store.db, COCO_CLASSES) })
      if (values.json) console.log(JSON.stringify(scenesJson(overview), null, 2))
      else print(overview, paths.dir)
      return 0
    } catch (err) {
      console.error(`constella scenes: ${(err as Error).message}`)
      return 1
    } finally {
      store.close()
      lock?.release()
    }
  },
}
