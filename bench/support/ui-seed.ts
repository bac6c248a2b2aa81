/**
 * The seed of the UI benchmark's large libraries: the 395 real coco-dev photos, copied into a
 * folder of the seed and analysed once through the real engine (`Library.open` + `indexLibrary`),
 * then read back from the seed's store as the `PhotoAnalysis` each photo got. A complete seed
 * (marked by `seed.json`) is reused by later runs.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { indexLibrary } from '../../src/main/engine/library/indexer.js'
import { Library } from '../../src/main/engine/library/library.js'
import { libraryPaths } from '../../src/main/engine/library/library-paths.js'
import { LibraryStore, type PhotoRecord } from '../../src/main/engine/store/index.js'
import type { AnalysedObject, PhotoAnalysis } from '../../src/main/engine/store/photo-analysis.js'
import { PhotoQueryRepository } from '../../src/main/engine/store/photo-query-repository.js'
import { COCO_DEV_DIR } from '../../test/support/coco-images.js'

/** One analysed seed photo: its file (with size and mtime, as a scan sees them) and its analysis. */
export interface SeedPhoto {
  file: string
  bytes: number
  mtimeMs: number
  contentHash: string
  /** The seed's thumbnail file (a real 320-px JPEG made by indexing). */
  thumbnail: string
  analysis: PhotoAnalysis
}

/** The analysed seed. */
export interface Seed {
  dir: string
  photos: SeedPhoto[]
  /** Seconds the engine took to index the seed in this run (0 when an earlier seed was reused). */
  indexSeconds: number
}

const MARKER = 'seed.json'

/** Copies coco-dev into `<dir>/photos` and indexes it into `<dir>/library`, unless done before. */
async function ensureIndexedSeed(dir: string, log: (line: string) => void): Promise<number> {
  const marker = path.join(dir, MARKER)
  if (existsSync(marker)) return 0
  rmSync(dir, { recursive: true, force: true })
  const photosDir = path.join(dir, 'photos')
  mkdirSync(photosDir, { recursive: true })
  const source = path.join(COCO_DEV_DIR, 'images')
  const files = readdirSync(source).filter((f) => /\.jpe?g$/i.test(f)).sort()
  for (const f of files) copyFileSync(path.join(source, f), path.join(photosDir, f))
  log(`seed: indexing ${files.length} coco-dev photos through the engine into ${path.join(dir, 'library')} ...`)
  const t0 = performance.now()
  const lib = await Library.open({ dir: path.join(dir, 'library'), owner: { command: 'bench/ui seed' } })
  try {
    const s = await indexLibrary(lib, [photosDir])
    if (s.indexed !== files.length) {
      throw new Error(`the seed indexed ${s.indexed} of ${files.length} photos: ${JSON.stringify(s.failed.slice(0, 3))}`)
    }
  } finally {
    await lib.close()
  }
  const seconds = (performance.now() - t0) / 1000
  writeFileSync(marker, JSON.stringify({ photos: files.length, seconds, at: new Date().toISOString() }, null, 2))
  return seconds
}

/** The analysis of one indexed seed photo, as `saveAnalysis` takes it (every stored vector method). */
function readAnalysis(store: LibraryStore, photo: PhotoRecord, methods: string[]): PhotoAnalysis {
  const objects: AnalysedObject[] = store.objects.listByPhoto(photo.id)
    .filter((o) => o.source === 'detector')
    .map((o) => ({
      box: o.box,
      classId: o.classId,
      score: o.score ?? 0,
      modelVersion: o.modelVersion ?? '',
      features: store.objects.features(o.id),
      embeddings: methods.flatMap((method) => {
        const e = store.embeddings.get({ kind: 'object', objectId: o.id }, method)
        return e ? [{ method, modelVersion: e.modelVersion, vector: e.vector }] : []
      }),
    }))
  const labels = store.labels.listByPhoto(photo.id)
    .filter((l) => l.source === 'model')
    .map((l) => ({ classId: l.classId, state: l.state, confidence: l.confidence ?? 0, modelVersion: l.modelVersion ?? '' }))
  const embeddings = methods.flatMap((method) => {
    const e = store.embeddings.get({ kind: 'photo', photoId: photo.id }, method)
    return e ? [{ method, modelVersion: e.modelVersion, vector: e.vector }] : []
  })
  return { photo: { width: photo.width!, height: photo.height!, format: photo.format! }, objects, labels, embeddings }
}

/** Indexes the seed in `dir` if needed (engine: a few minutes on 2 cores) and loads its analyses. */
export async function loadSeed(dir: string, log: (line: string) => void = console.log): Promise<Seed> {
  const indexSeconds = await ensureIndexedSeed(dir, log)
  const store = LibraryStore.open(libraryPaths(path.join(dir, 'library')).database, { readOnly: true })
  try {
    const methods = store.embeddings.methods().map((m) => m.method)
    const query = new PhotoQueryRepository(store.db, Date.now)
    const photos: SeedPhoto[] = []
    let cursor: string | undefined
    do {
      const page = query.page({ sort: { key: 'added', order: 'asc' }, limit: 500, ...(cursor ? { cursor } : {}) })
      for (const row of page.rows) {
        const p = store.photos.get(row.id)
        if (!p || p.status !== 'indexed' || !p.thumbnail) continue
        const info = statSync(p.path)
        photos.push({
          file: p.path, bytes: info.size, mtimeMs: info.mtimeMs, contentHash: p.contentHash,
          thumbnail: p.thumbnail, analysis: readAnalysis(store, p, methods),
        })
      }
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    if (photos.length === 0) throw new Error(`the seed library in ${dir} has no indexed photo: delete ${dir} and run again`)
    photos.sort((a, b) => a.file.localeCompare(b.file))
    return { dir, photos, indexSeconds }
  } finally {
    store.close()
  }
}

/** What `seed.json` recorded (seconds of the engine run that made the seed). */
export function seedInfo(dir: string): { photos: number; seconds: number } | undefined {
  const marker = path.join(dir, MARKER)
  return existsSync(marker) ? JSON.parse(readFileSync(marker, 'utf8')) as { photos: number; seconds: number } : undefined
}
