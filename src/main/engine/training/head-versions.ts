/**
 * Versioned trained heads of a library (`<library>/heads/`): each version is a trained head's
 * folder (parameter file, ONNX graph, metrics) under `heads/<id>/`; `heads/active.json` names the
 * active one and the order of activations (rolling back is activating the previous one).
 * Activating re-embeds every photo of the library from its stored head inputs (no detector run)
 * with the new head's ONNX graph, then rebuilds both vector indexes from the store.
 *
 * A library with an active trained head must be opened on that head's pack: pass
 * {@link activeHeadPackDir} as `packDir` to `Library.open` (an indexer opened on the plain pack
 * would see every embedding as coming from another head and analyse the photos again).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { runHead } from '../analysis/analyze-photo.js'
import { decodeHead } from '../head/head-params.js'
import { INDEX_FILES } from '../index/index-set.js'
import { Library, type LibraryOptions } from '../library/library.js'
import { libraryPaths } from '../library/library-paths.js'
import { defaultPackDir } from '../models/pack.js'
import { nodeObjects, storedGraphInput } from '../search/graph-input.js'
import { METHODS } from '../store/embedding-methods.js'
import { readTrainedHead, TRAINED_FILES, writeHeadPack } from './head-pack.js'

/** The pack's own head, always available to activate. */
export const DEFAULT_HEAD = 'default'

/** One version as listed. */
export interface HeadVersion {
  id: string
  modelVersion: string
  createdAt: string
  active: boolean
  /** Held-out retrieval mAP / NDCG@10 / classification mAP after training, when the metrics file has them. */
  heldOut?: { mAP: number; ndcg: number; clsMAP?: number }
}

/** `heads/active.json`: the active version and every activation. */
export interface ActiveFile {
  active: string
  /** Every activation, oldest first. */
  history: string[]
}

const headsDir = (libDir: string) => path.join(libDir, 'heads')
const activeFile = (libDir: string) => path.join(headsDir(libDir), 'active.json')

/** The library's `heads/active.json` (the shipped default when there is none). */
export function readActive(libDir: string): ActiveFile {
  const file = activeFile(libDir)
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ActiveFile) : { active: DEFAULT_HEAD, history: [DEFAULT_HEAD] }
}

/** Replaces `heads/active.json` atomically. */
export function writeActive(libDir: string, value: ActiveFile): void {
  const file = activeFile(libDir)
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(`${file}.tmp`, JSON.stringify(value, null, 2))
  renameSync(`${file}.tmp`, file)
}

/** Copies a trained head's folder (`constella train --out DIR`) into the library as a new version. */
export function addHeadVersion(libDir: string, trainedDir: string): HeadVersion {
  const { params } = readTrainedHead(trainedDir)
  const stamp = new Date().toISOString()
  const id = `head-${stamp.replace(/[-:]/g, '').replace(/\..*$/, '')}-${readdirSync(headsDirEnsured(libDir)).length}`
  const dir = path.join(headsDir(libDir), id)
  mkdirSync(dir)
  for (const f of [TRAINED_FILES.params, TRAINED_FILES.graph, TRAINED_FILES.metrics]) {
    if (existsSync(path.join(trainedDir, f))) copyFileSync(path.join(trainedDir, f), path.join(dir, f))
  }
  writeFileSync(path.join(dir, 'version.json'), JSON.stringify({ id, createdAt: stamp, source: path.resolve(trainedDir), modelVersion: decodeHead(params).header.modelVersion }, null, 2))
  return listHeadVersions(libDir).find((v) => v.id === id)!
}

function headsDirEnsured(libDir: string): string {
  mkdirSync(headsDir(libDir), { recursive: true })
  return headsDir(libDir)
}

/** The versions of the library, oldest first, with the pack's head as {@link DEFAULT_HEAD}. */
export function listHeadVersions(libDir: string): HeadVersion[] {
  const { active } = readActive(libDir)
  const versions: HeadVersion[] = [{ id: DEFAULT_HEAD, modelVersion: 'the model pack\'s head', createdAt: '', active: active === DEFAULT_HEAD }]
  if (!existsSync(headsDir(libDir))) return versions
  for (const id of readdirSync(headsDir(libDir)).sort()) {
    const info = path.join(headsDir(libDir), id, 'version.json')
    if (!existsSync(info)) continue
    const v = JSON.parse(readFileSync(info, 'utf8')) as { createdAt: string; modelVersion: string }
    const metricsFile = path.join(headsDir(libDir), id, TRAINED_FILES.metrics)
    const after = existsSync(metricsFile) ? (JSON.parse(readFileSync(metricsFile, 'utf8')) as { heldOut?: { after: Record<string, { ret: { mAP: number; 'NDCG@10': number }; cls?: { mAP: number } }> } }).heldOut?.after['sarl-gat'] : undefined
    versions.push({ id, modelVersion: v.modelVersion, createdAt: v.createdAt, active: active === id, heldOut: after && { mAP: after.ret.mAP, ndcg: after.ret['NDCG@10'], clsMAP: after.cls?.mAP } })
  }
  return versions
}

/** The pack a library must be opened on: its active head's, or `basePackDir` for the pack's head. */
export function activeHeadPackDir(libDir: string, basePackDir = defaultPackDir()): string {
  return packFor(libDir, readActive(libDir).active, basePackDir)
}

function packFor(libDir: string, id: string, basePackDir: string): string {
  if (id === DEFAULT_HEAD) return basePackDir
  const dir = path.join(headsDir(libDir), id)
  if (!existsSync(path.join(dir, TRAINED_FILES.params))) throw new Error(`the library has no head version "${id}" (see listHeadVersions)`)
  return writeHeadPack(dir, basePackDir, path.join(dir, 'pack'))
}

/** What an activation did and how long it took. */
export interface ActivationReport {
  active: string
  previous: string
  photos: number
  objects: number
  /** Photos whose head inputs are not stored (indexed by an older Constella): left as they were. */
  skipped: number
  reembedSeconds: number
  reindexSeconds: number
}

/** Activates version `id` (or {@link DEFAULT_HEAD}): re-embeds the library and rebuilds its indexes. */
export async function activateHead(options: Omit<LibraryOptions, 'readOnly' | 'engine'> & { dir: string }, id: string, onProgress?: (done: number, total: number) => void): Promise<ActivationReport> {
  const state = readActive(options.dir)
  const basePack = options.packDir ?? defaultPackDir()
  const packDir = packFor(options.dir, id, basePack)
  let t = Date.now()
  const lib = await Library.open({ ...options, packDir })
  let photos = 0
  let objects = 0
  let skipped = 0
  try {
    const ctx = lib.searchContext()
    const ids = [...lib.store.embeddings.iterate(METHODS.photoFeature)].map((e) => e.ownerId)
    for (const photoId of ids) {
      const nodes = nodeObjects(ctx, photoId)
      const input = storedGraphInput(ctx, photoId, nodes)
      if (!input) {
        skipped++
        continue
      }
      const graph = await runHead(lib.parts, input)
      lib.store.embeddings.put({ kind: 'photo', photoId }, { method: METHODS.photo, modelVersion: lib.versions.head, vector: graph.embedding })
      nodes.forEach((o, i) => lib.store.embeddings.put({ kind: 'object', objectId: o.id }, { method: METHODS.object, modelVersion: lib.versions.head, vector: graph.objectNodes[i] }))
      photos++
      objects += nodes.length
      onProgress?.(photos + skipped, ids.length)
    }
  } finally {
    await lib.close()
  }
  const reembedSeconds = (Date.now() - t) / 1000
  t = Date.now()
  // the saved indexes hold the old vectors under the same keys: drop them, opening rebuilds from the store
  const indexDir = libraryPaths(options.dir).indexDir
  if (existsSync(indexDir)) {
    for (const f of readdirSync(indexDir)) if (Object.values(INDEX_FILES).some((name) => f.startsWith(name))) rmSync(path.join(indexDir, f), { force: true })
  }
  await (await Library.open({ ...options, packDir })).close()
  const reindexSeconds = (Date.now() - t) / 1000
  headsDirEnsured(options.dir)
  writeActive(options.dir, { active: id, history: [...state.history, id] })
  return { active: id, previous: state.active, photos, objects, skipped, reembedSeconds, reindexSeconds }
}

/** Activates the head that was active before the current one. */
export async function rollbackHead(options: Omit<LibraryOptions, 'readOnly' | 'engine'> & { dir: string }, onProgress?: (done: number, total: number) => void): Promise<ActivationReport> {
  const { history } = readActive(options.dir)
  if (history.length < 2) throw new Error('there is no earlier head to roll back to')
  const previous = history[history.length - 2]
  const report = await activateHead(options, previous, onProgress)
  writeActive(options.dir, { active: previous, history: history.slice(0, -1) })
  return report
}
