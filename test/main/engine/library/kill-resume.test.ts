/**
 * kill -9 in the middle of `constella index` (during the scan, then twice during analysis), then a
 * run to the end: each killed run
 * leaves a sound library in which every photo is either fully stored or still pending; the next
 * run continues the same run where it stopped, and the finished library has no duplicate rows,
 * one vector per photo and object, indexes that agree with the store, and readable thumbnails.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import sharp from 'sharp'
import { afterAll, describe, expect, it } from 'vitest'
import { Library } from '../../../../src/main/engine/library/library.js'
import { METHODS } from '../../../../src/main/engine/library/store-vector-source.js'
import { analyzePhoto } from '../../../../src/main/engine/analysis/analyze-photo.js'
import { decodePhoto } from '../../../../src/main/engine/pipeline/decode.js'
import { cosine } from '../../../../src/shared/math/vector.js'
import { copyCocoPhotos, expectIndexesMatchStore, ROOT, tempFolder } from './helpers.js'

const PHOTOS = 30
const temp = tempFolder()
const photosDir = path.join(temp.dir, 'photos')
const libDir = path.join(temp.dir, 'library')
const dbFile = path.join(libDir, 'library.db')
const started: ChildProcess[] = []

afterAll(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  temp.cleanup()
})

interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Starts `constella index photos --library lib --json` as a child process. */
function startIndex(): { child: ChildProcess; exit: Promise<Exit> } {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'constella.mjs'), 'index', photosDir, '--library', libDir, '--json'], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
  })
  started.push(child)
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (d: Buffer) => { stdout += d.toString() })
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString() })
  const exit = new Promise<Exit>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
  return { child, exit }
}

/** Runs `sql` on a read-only connection (safe beside the writing process); undefined while the file does not exist yet. */
function readOnly<T>(sql: string): T | undefined {
  let db: Database.Database | undefined
  try {
    db = new Database(dbFile, { readonly: true, fileMustExist: true })
    return db.prepare(sql).get() as T
  } catch {
    return undefined
  } finally {
    db?.close()
  }
}

const indexedCount = (): number => readOnly<{ n: number }>("SELECT count(*) AS n FROM photos WHERE status = 'indexed'")?.n ?? 0

/** Pids of the direct children of `pid` (the inference process of the CLI). */
function childPids(pid: number): number[] {
  const out: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(name))
    } catch {
      // the process ended while we looked
    }
  }
  return out
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
  } catch {
    return false
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/**
 * Starts an index run and SIGKILLs it as soon as `due()` says so (polled every 50 ms); checks
 * that its inference process exits by itself. Returns how many photos were indexed at death.
 */
async function killDuringIndex(due: () => boolean, what: string): Promise<number> {
  const { child, exit } = startIndex()
  let exited: Exit | undefined
  void exit.then((e) => { exited = e })
  const deadline = Date.now() + 180_000
  while (!due()) {
    if (exited) throw new Error(`the index run ended before ${what}: ${JSON.stringify(exited)}`)
    if (Date.now() > deadline) throw new Error(`not ${what} within 180 s`)
    await sleep(50)
  }
  const engines = childPids(child.pid!)
  child.kill('SIGKILL')
  const e = await exit
  expect(e.signal).toBe('SIGKILL')
  // The orphaned inference process notices its parent is gone and exits (no kill needed).
  for (let i = 0; i < 200 && engines.some(alive); i++) await sleep(50)
  const orphans = engines.filter(alive)
  for (const pid of orphans) process.kill(pid, 'SIGKILL')
  expect(orphans).toEqual([])
  return indexedCount()
}

/** The invariants that must hold after any kill. */
function checkAfterKill(): void {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true })
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(db.pragma('foreign_key_check')).toEqual([])
    // Every photo is fully stored (indexed, one photo vector) or untouched (pending, nothing stored).
    const rows = db.prepare(`SELECT p.status,
        (SELECT count(*) FROM embeddings e WHERE e.photo_id = p.id AND e.object_id IS NULL AND e.method = ?) AS vectors,
        (SELECT count(*) FROM objects o WHERE o.photo_id = p.id) AS objects
      FROM photos p`).all(METHODS.photo) as { status: string; vectors: number; objects: number }[]
    for (const r of rows) {
      if (r.status === 'indexed') expect(r.vectors).toBe(1)
      else expect(r).toEqual({ status: 'pending', vectors: 0, objects: 0 })
    }
    const runs = db.prepare("SELECT id, status FROM runs WHERE kind = 'index'").all()
    expect(runs).toHaveLength(1)
    expect(runs[0]).toMatchObject({ status: 'running' })
  } finally {
    db.close()
  }
}

describe('constella index killed with SIGKILL', () => {
  it('resumes where it stopped, twice, and finishes a library with no duplicates', { timeout: 600_000 }, async () => {
    copyCocoPhotos(photosDir, PHOTOS, 60)

    // During the scan: photos are being recorded, (almost certainly) none analysed yet.
    const photoRows = (): number => readOnly<{ n: number }>('SELECT count(*) AS n FROM photos')?.n ?? 0
    const scanning = await killDuringIndex(() => photoRows() > 0, 'the scan recorded a photo')
    expect(scanning).toBeLessThan(PHOTOS)
    checkAfterKill()

    // During analysis, twice.
    const first = await killDuringIndex(() => indexedCount() >= scanning + 4, `${scanning + 4} photos were indexed`)
    expect(first).toBeGreaterThanOrEqual(scanning + 4)
    expect(first).toBeLessThan(PHOTOS)
    checkAfterKill()
    const runId = (readOnly<{ id: number }>("SELECT id FROM runs WHERE kind = 'index'"))!.id

    const second = await killDuringIndex(() => indexedCount() >= first + 5, `${first + 5} photos were indexed`)
    expect(second).toBeGreaterThanOrEqual(first + 5)
    expect(second).toBeLessThan(PHOTOS)
    checkAfterKill()

    const { exit } = startIndex()
    const done = await exit
    expect(done.code, done.stderr).toBe(0)
    const report = JSON.parse(done.stdout) as {
      runId: number; resumed: boolean; found: number; indexed: number; skipped: number; failed: unknown[]; pruned: number
      library_counts: { indexed: number; pending: number; failed: number; total: number }
    }
    expect(report).toMatchObject({ runId, resumed: true, found: PHOTOS, indexed: PHOTOS - second, skipped: second, failed: [], pruned: 0 })
    expect(report.library_counts).toEqual({ indexed: PHOTOS, pending: 0, failed: 0, total: PHOTOS })

    const lib = await Library.open({ dir: libDir })
    try {
      // The finished run saved indexes that agree with the store: they load without a rebuild.
      expect(lib.indexes.reports.photos).toMatchObject({ rebuilt: false, reason: 'loaded' })
      expect(lib.indexes.reports.objects).toMatchObject({ rebuilt: false, reason: 'loaded' })
      expectIndexesMatchStore(lib)
      expect(lib.indexes.photos.size).toBe(PHOTOS)
      expect(lib.store.check()).toEqual([])
      const db = lib.store.db
      expect(db.prepare('SELECT count(*) AS n, count(DISTINCT path) AS d, count(DISTINCT content_hash) AS h FROM photos').get()).toEqual({ n: PHOTOS, d: PHOTOS, h: PHOTOS })
      expect(db.prepare(`SELECT photo_id FROM embeddings WHERE object_id IS NULL AND method = ? GROUP BY photo_id HAVING count(*) <> 1`).all(METHODS.photo)).toEqual([])
      expect(db.prepare('SELECT count(*) AS n FROM embeddings WHERE object_id IS NULL AND method = ?').get(METHODS.photo)).toEqual({ n: PHOTOS })
      // Each detector object has exactly one object vector.
      expect(db.prepare(`SELECT o.id FROM objects o LEFT JOIN embeddings e ON e.object_id = o.id AND e.method = ?
        GROUP BY o.id HAVING count(e.id) <> 1`).all(METHODS.object)).toEqual([])
      expect(db.prepare("SELECT id, status FROM runs WHERE kind = 'index'").all()).toEqual([{ id: runId, status: 'completed' }])
      // Every thumbnail is a complete image.
      for (const p of db.prepare('SELECT thumbnail FROM photos').all() as { thumbnail: string }[]) {
        const { info } = await sharp(p.thumbnail).raw().toBuffer({ resolveWithObject: true })
        expect(Math.max(info.width, info.height)).toBe(320)
      }
      // Photos stored before and after the kills hold exactly what an uninterrupted analysis gives.
      const ids = db.prepare('SELECT id, path FROM photos ORDER BY id').all() as { id: number; path: string }[]
      for (const { id, path: file } of [ids[0], ids[ids.length - 1]]) {
        const fresh = await analyzePhoto(lib.parts, await decodePhoto(file))
        const stored = lib.store.embeddings.get({ kind: 'photo', photoId: id }, METHODS.photo)!.vector
        expect(cosine(fresh.graph.embedding, stored)).toBeGreaterThan(0.99999)
        expect(lib.store.objects.listByPhoto(id)).toHaveLength(fresh.detections.length)
      }
    } finally {
      await lib.close()
    }
  })
})
