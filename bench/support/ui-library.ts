/**
 * A large library for the UI benchmark, made through the store's own API: N photo rows written
 * with `LibraryStore.recordScan` + `saveAnalysis` in batched transactions, cycling through the
 * real analyses of the coco-dev seed (ui-seed.ts: objects with boxes and features, labels, every
 * photo and object vector), each photo a distinct file — a hard link to a real seed photo in
 * `<dir>-photos/NNNN/` (a symlink where hard links fail), so media/photo serves it and a rescan
 * sees N distinct unchanged files — with the seed's real thumbnail copied under the library's
 * `thumbs/`. The photos folder is registered as a library folder, an index run is recorded, and
 * the vector indexes are built once (`Library.open` rebuilds them from SQLite). A complete
 * library (marker `bench-library.json`, same photo count) is reused.
 *
 * Content hashes are distinct per photo (derived from the seed's hash and the photo's number), as
 * in a real library without duplicates; size and mtime are the file's, so a rescan skips them.
 */
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, linkSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { Library } from '../../src/main/engine/library/library.js'
import { acquireLibraryLock } from '../../src/main/engine/library/library-lock.js'
import { libraryPaths } from '../../src/main/engine/library/library-paths.js'
import { thumbnailPath } from '../../src/main/engine/io/thumbnail.js'
import { FolderRepository } from '../../src/main/engine/store/folder-repository.js'
import { LibraryStore } from '../../src/main/engine/store/index.js'
import { loadSeed, seedInfo, type Seed } from './ui-seed.js'

/** Photos per transaction. */
const BATCH = 500
/** Photos per subfolder of the photos folder. */
const PER_FOLDER = 1000
const MARKER = 'bench-library.json'

/** What the generator made (or found). */
export interface UiLibrary {
  /** The library folder (`--library` of the server). */
  dir: string
  /** The library folder of photos (hard links to the seed photos). */
  photosRoot: string
  photos: number
  objects: number
  /** True when a complete library from an earlier run was reused. */
  reused: boolean
  /** Seconds: seed indexing by the engine (as recorded when the seed was made), links, store writes, vector index build, total. */
  seconds: { seed: number; links: number; writes: number; indexes: number; total: number }
  /** Vectors in the photo and object indexes. */
  vectors: { photos: number; objects: number }
  /** Size of library.db in bytes. */
  dbBytes: number
}

/** Options of {@link ensureUiLibrary}. */
export interface UiLibraryOptions {
  photos: number
  dir: string
  /** Where the analysed seed lives; default `<dirname(dir)>/seed`. */
  seedDir?: string
  log?: (line: string) => void
}

/** The file of photo `i` (0-based) made from seed file `seedFile`. */
function photoFile(root: string, i: number, seedFile: string): string {
  return path.join(root, String(Math.floor(i / PER_FOLDER)).padStart(4, '0'), `${String(i + 1).padStart(6, '0')}-${path.basename(seedFile)}`)
}

/** Returns the library in `options.dir` with `options.photos` photos, generating it unless a complete one is there. */
export async function ensureUiLibrary(options: UiLibraryOptions): Promise<UiLibrary> {
  const dir = path.resolve(options.dir)
  const log = options.log ?? console.log
  const marker = path.join(dir, MARKER)
  if (existsSync(marker)) {
    const made = JSON.parse(readFileSync(marker, 'utf8')) as UiLibrary
    if (made.photos === options.photos && existsSync(libraryPaths(dir).database)) return { ...made, reused: true }
    log(`${dir} holds a library of ${made.photos} photos, not ${options.photos}: generating it again`)
  }
  const t0 = performance.now()
  const seed = await loadSeed(options.seedDir ?? path.join(path.dirname(dir), 'seed'), log)
  const photosRoot = `${dir}-photos`
  rmSync(dir, { recursive: true, force: true })
  rmSync(photosRoot, { recursive: true, force: true })
  const paths = libraryPaths(dir)

  // Real thumbnails: the seed's files, under this library's thumbs/ (media only serves from there).
  const thumbOf = new Map<string, string>()
  for (const p of seed.photos) {
    const to = thumbnailPath(paths.thumbsDir, p.contentHash)
    mkdirSync(path.dirname(to), { recursive: true })
    copyFileSync(p.thumbnail, to)
    thumbOf.set(p.file, to)
  }

  const tLinks = performance.now()
  const linked = makeLinks(seed, photosRoot, options.photos)
  const links = (performance.now() - tLinks) / 1000
  log(`${options.photos} photo files (${linked}) in ${photosRoot}: ${links.toFixed(1)} s`)

  const tWrites = performance.now()
  const objects = writeRows(seed, dir, photosRoot, options.photos, thumbOf, log)
  const writes = (performance.now() - tWrites) / 1000

  // The vector indexes, built from SQLite the way the app does when they are absent.
  const tIndexes = performance.now()
  const lib = await Library.open({ dir, owner: { command: 'bench/ui generator' } })
  const vectors = { photos: lib.indexes.photos.size, objects: lib.indexes.objects.size }
  await lib.close()
  const indexes = (performance.now() - tIndexes) / 1000
  log(`vector indexes (${vectors.photos} photo + ${vectors.objects} object vectors) built and saved: ${indexes.toFixed(1)} s`)

  const seedSeconds = seed.indexSeconds || (seedInfo(seed.dir)?.seconds ?? 0)
  const made: UiLibrary = {
    dir, photosRoot, photos: options.photos, objects, reused: false,
    seconds: { seed: seedSeconds, links, writes, indexes, total: (performance.now() - t0) / 1000 },
    vectors, dbBytes: statSync(paths.database).size,
  }
  writeFileSync(marker, JSON.stringify({ ...made, seedRecorded: seedInfo(seed.dir) }, null, 2))
  return made
}

/** Makes the photo files (hard links, else symlinks); returns which kind. */
function makeLinks(seed: Seed, root: string, n: number): string {
  let hard = true
  for (let i = 0; i < n; i++) {
    const from = seed.photos[i % seed.photos.length].file
    const to = photoFile(root, i, from)
    if (i % PER_FOLDER === 0) mkdirSync(path.dirname(to), { recursive: true })
    if (hard) {
      try {
        linkSync(from, to)
        continue
      } catch {
        hard = false
      }
    }
    symlinkSync(from, to)
  }
  return hard ? 'hard links' : 'symlinks'
}

/** Writes the rows through the store's API in batched transactions; returns the object count. */
function writeRows(seed: Seed, dir: string, root: string, n: number, thumbOf: Map<string, string>, log: (line: string) => void): number {
  const paths = libraryPaths(dir)
  mkdirSync(dir, { recursive: true })
  const lock = acquireLibraryLock(dir, { command: 'bench/ui generator' })
  const store = LibraryStore.open(paths.database)
  let objects = 0
  try {
    const run = store.runs.start('index', { roots: [root] })
    const t0 = performance.now()
    for (let start = 0; start < n; start += BATCH) {
      store.transaction(() => {
        for (let i = start; i < Math.min(n, start + BATCH); i++) {
          const s = seed.photos[i % seed.photos.length]
          const contentHash = i < seed.photos.length ? s.contentHash : createHash('sha256').update(`${s.contentHash}:${i}`).digest('hex')
          const file = photoFile(root, i, s.file)
          const outcome = store.recordScan({ path: file, contentHash, bytes: s.bytes, mtimeMs: s.mtimeMs }, run.id, () => false)
          store.saveAnalysis(outcome.photo.id, { ...s.analysis, photo: { ...s.analysis.photo, thumbnail: thumbOf.get(s.file)! } })
          objects += s.analysis.objects.length
        }
      })
      const done = Math.min(n, start + BATCH)
      if (done % 10_000 === 0 || done === n) {
        log(`  ${done} photos written, ${(done / ((performance.now() - t0) / 1000)).toFixed(0)} photos/s`)
      }
    }
    store.runs.finish(run.id, 'completed', { found: n, indexed: n })
    new FolderRepository(store.db, Date.now).add(root)
  } finally {
    store.close()
    lock.release()
  }
  return objects
}
