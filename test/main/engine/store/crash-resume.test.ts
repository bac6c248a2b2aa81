/**
 * Crash safety of the store: child processes write the synthetic library (or human
 * corrections) and are SIGKILLed at chosen points; the library must reopen intact, with every
 * photo fully written or pending, no duplicate rows, and every reported correction present.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { LibraryStore } from '../../../../src/main/engine/store/library-store.js'
import { labelCount, objectCount, photoIndex, scannedFile } from './fixtures/synthetic-library.js'
import { useTempDb } from './helpers.js'

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url))
const COUNT = 300
const tempDb = useTempDb()

interface WorkerResult {
  lines: string[]
  code: number | null
  signal: NodeJS.Signals | null
  stderr: string
}

/** Runs a fixture script; kills it with SIGKILL when `killOn(line)` is true or `killAfterMs` after its first line. */
function runWorker(script: string, args: string[], kill: { killOn?: (line: string, n: number) => boolean; killAfterMs?: number } = {}): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURES + script, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    const lines: string[] = []
    let pending = ''
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
    child.stdout.on('data', (d: Buffer) => {
      pending += d.toString()
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        const line = pending.slice(0, nl)
        pending = pending.slice(nl + 1)
        lines.push(line)
        if (lines.length === 1 && kill.killAfterMs !== undefined) setTimeout(() => child.kill('SIGKILL'), kill.killAfterMs)
        if (kill.killOn?.(line, lines.length)) child.kill('SIGKILL')
      }
    })
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ lines, code, signal, stderr }))
  })
}

interface PhotoFacts { id: number; path: string; status: string; objects: number; photo_vectors: number; object_vectors: number; labels: number }

/** Reopens the library and checks every crash invariant; returns the status counts. */
function checkLibrary(file: string): { indexed: number; pending: number; total: number; running: number; indexedPaths: Set<string> } {
  const s = LibraryStore.open(file)
  try {
    expect(s.check()).toEqual([])
    const photos = s.db.prepare(`SELECT p.id, p.path, p.status,
        (SELECT count(*) FROM objects o WHERE o.photo_id = p.id) AS objects,
        (SELECT count(*) FROM embeddings e WHERE e.photo_id = p.id AND e.object_id IS NULL) AS photo_vectors,
        (SELECT count(*) FROM embeddings e WHERE e.photo_id = p.id AND e.object_id IS NOT NULL) AS object_vectors,
        (SELECT count(*) FROM labels l WHERE l.photo_id = p.id) AS labels
      FROM photos p ORDER BY p.id`).all() as PhotoFacts[]
    const wrong = photos.filter((p) => {
      const i = photoIndex(p.path)
      const facts = [p.objects, p.photo_vectors, p.object_vectors, p.labels]
      if (i >= COUNT || p.path !== scannedFile(i).path) return true
      if (p.status === 'indexed') return facts.join() !== [objectCount(i), 1, objectCount(i), labelCount(i)].join()
      return p.status !== 'pending' || facts.some((n) => n !== 0)
    })
    expect(wrong).toEqual([])
    const running = s.db.prepare("SELECT count(*) FROM runs WHERE kind = 'index' AND status = 'running'").pluck().get() as number
    expect(running).toBeLessThanOrEqual(1) // a killed run is resumed, never duplicated
    const counts = s.photos.statusCounts()
    const indexedPaths = new Set(photos.filter((p) => p.status === 'indexed').map((p) => p.path))
    return { indexed: counts.indexed, pending: counts.pending, total: counts.total, running, indexedPaths }
  } finally {
    s.close()
  }
}

describe('crash safety', () => {
  it('resumes an indexing run killed at many points, with no half-written photo and no duplicate row', async () => {
    const file = tempDb()
    const kills: { at: string; indexed: number; total: number }[] = []
    const killAndCheck = async (at: string, kill: Parameters<typeof runWorker>[2], extra: string[] = []) => {
      const r = await runWorker('index-worker.ts', [file, String(COUNT), ...extra], kill)
      expect(r.stderr).toBe('')
      const facts = checkLibrary(file)
      // every photo the worker reported as saved is indexed
      for (const line of r.lines.filter((l) => l.startsWith('indexed '))) expect(facts.indexedPaths.has(scannedFile(Number(line.split(' ')[1])).path)).toBe(true)
      kills.push({ at, indexed: facts.indexed, total: facts.total })
      return { r, facts }
    }

    const midScan = await killAndCheck('mid-scan', { killOn: (l) => l === 'scanned 100' })
    expect(midScan.r.signal).toBe('SIGKILL')
    expect(midScan.facts.indexed).toBe(0)

    const midRun = await killAndCheck('mid-analysis', { killOn: (l, n) => l.startsWith('indexed') && n > 80 })
    expect(midRun.r.signal).toBe('SIGKILL')
    expect(midRun.r.lines[0]).toMatch(/^start \d+ resumed$/)
    expect(midRun.facts.indexed).toBeGreaterThan(0)

    // killed inside the open transaction of one photo: that photo stays pending, nothing of it is written
    const before = checkLibrary(file).indexedPaths
    const holdAt = [...Array(COUNT).keys()].find((i) => !before.has(scannedFile(i).path) && objectCount(i) === 3)!
    const midTx = await killAndCheck('mid-transaction', { killOn: (l) => l === `in-tx ${holdAt}` }, [`--hold-at=${holdAt}`])
    expect(midTx.r.lines).toContain(`in-tx ${holdAt}`)
    expect(midTx.facts.indexedPaths.has(scannedFile(holdAt).path)).toBe(false)

    // kills at arbitrary moments (scan, analysis, commit, finish); stop once a run got to the end
    let finishedEarly = false
    for (const ms of [30, 120, 250, 400]) {
      const timed = await killAndCheck(`after ${ms} ms`, { killAfterMs: ms })
      if (timed.facts.running === 0) {
        finishedEarly = true
        break
      }
    }

    const finish = await runWorker('index-worker.ts', [file, String(COUNT)])
    expect(finish.code).toBe(0)
    expect(finish.lines[0]).toMatch(finishedEarly ? /^start \d+ new$/ : /^start \d+ resumed$/)
    expect(finish.lines.at(-1)).toMatch(/^done \d+$/)
    expect(checkLibrary(file)).toMatchObject({ indexed: COUNT, pending: 0, total: COUNT })
    const s = LibraryStore.open(file)
    try {
      const runs = s.runs.list()
      expect(runs).toHaveLength(finishedEarly ? 2 : 1)
      expect(runs.every((r) => r.kind === 'index' && r.status === 'completed')).toBe(true)
      expect(runs[0].counts).toEqual({ pending: 0, indexed: COUNT, failed: 0, total: COUNT, pruned: 0 })
      expect(s.embeddings.count('gat-mean')).toBe(COUNT)
    } finally {
      s.close()
    }

    // a new run over an unchanged library recomputes nothing
    const again = await runWorker('index-worker.ts', [file, String(COUNT)])
    expect(again.lines[0]).toMatch(/^start \d+ new$/)
    expect(again.lines.filter((l) => l.startsWith('indexed'))).toEqual([])
    expect(checkLibrary(file)).toMatchObject({ indexed: COUNT, total: COUNT })
    console.info('kills:', JSON.stringify(kills))
  })

  it('keeps every human correction saved before a kill, each with its history entry', async () => {
    const file = tempDb()
    const photoCount = 20
    const seed = LibraryStore.open(file)
    const run = seed.runs.start('index').id
    for (let i = 0; i < photoCount; i++) seed.recordScan(scannedFile(i), run, () => false)
    seed.close()

    const r = await runWorker('correct-worker.ts', [file, String(photoCount)], { killOn: (l) => l.startsWith('saved 40 ') })
    expect(r.signal).toBe('SIGKILL')
    const saved = r.lines.filter((l) => l.startsWith('saved ')).map((l) => l.split(' '))
    expect(saved.length).toBeGreaterThan(40)

    const s = LibraryStore.open(file)
    try {
      expect(s.check()).toEqual([])
      const history = s.labels.history()
      const human = s.db.prepare("SELECT photo_id, class_id, state FROM labels WHERE source = 'human' ORDER BY photo_id, class_id").all() as { photo_id: number; class_id: number; state: string }[]
      expect(history.length).toBeGreaterThanOrEqual(saved.length)
      expect(human.length).toBe(history.length) // no label without its history entry, nor the reverse
      const labelOf = new Map(human.map((h) => [`${h.photo_id}/${h.class_id}`, h.state]))
      for (const [, k, photoId, classId, state] of saved) {
        expect(labelOf.get(`${photoId}/${classId}`)).toBe(state)
        expect(history[Number(k)]).toMatchObject({ photoId: Number(photoId), classId: Number(classId), newState: state, actor: 'crash-test' })
      }
    } finally {
      s.close()
    }
  })
})
