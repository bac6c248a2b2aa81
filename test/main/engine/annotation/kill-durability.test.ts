/**
 * Durability of corrections, with real processes: a child applies a burst of random edits through
 * the annotation service and prints each committed edit id; it is killed with SIGKILL at random
 * moments, several times over the same library. After each kill the library reopens sound, every
 * edit the child reported is there with all its entries, and the log is intact: replayed from the
 * seeded state, each entry's "before" is the previous "after" of its target, and the last "after"
 * of every target is what the library holds now.
 */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { canonicalJson } from '../../../../src/main/engine/annotation/snapshots.js'
import { stripIds } from '../../../../src/main/engine/annotation/edit-session.js'
import { AnnotationRepository } from '../../../../src/main/engine/store/annotation-repository.js'
import type { CorrectionEntry } from '../../../../src/main/engine/store/annotation-types.js'
import { CorrectionLogRepository } from '../../../../src/main/engine/store/correction-log-repository.js'
import { LibraryStore } from '../../../../src/main/engine/store/library-store.js'
import { addCocoPhotos, useTempDirs } from './library-fixture.js'

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
const WORKER = fileURLToPath(new URL('./fixtures/edit-burst-worker.ts', import.meta.url))
const tempDir = useTempDirs()

/** Runs the worker until SIGKILLed `killAfterMs` after it is ready; returns its lines. */
function burst(db: string, seed: number, killAfterMs: number): Promise<{ lines: string[]; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, db, String(seed)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    const lines: string[] = []
    let pending = ''
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
    child.stdout.on('data', (d: Buffer) => {
      pending += d.toString()
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        const line = pending.slice(0, nl)
        pending = pending.slice(nl + 1)
        if (line === 'ready') setTimeout(() => child.kill('SIGKILL'), killAfterMs)
        lines.push(line)
      }
    })
    child.on('error', reject)
    child.on('close', (_code, signal) => resolve({ lines, signal, stderr }))
  })
}

const keyOf = (e: CorrectionEntry): string => e.target === 'label' ? `label ${e.photoId}/${e.classId}` : e.target === 'box' ? `box ${e.objectId}` : `review ${e.photoId}`

/** Every label, box and review target of the library as the log snapshots it. */
function currentTargets(store: LibraryStore): Map<string, string> {
  const repo = new AnnotationRepository(store.db, Date.now)
  const out = new Map<string, string>()
  for (const r of store.db.prepare("SELECT photo_id AS p, class_id AS c FROM labels WHERE source = 'human'").all() as { p: number; c: number }[]) {
    out.set(`label ${r.p}/${r.c}`, canonicalJson(repo.humanLabel(r.p, r.c)))
  }
  for (const id of store.db.prepare('SELECT id FROM objects').pluck().all() as number[]) out.set(`box ${id}`, canonicalJson(stripIds(repo.box(id)!)))
  for (const id of store.db.prepare('SELECT id FROM photos WHERE reviewed_at IS NOT NULL').pluck().all() as number[]) out.set(`review ${id}`, canonicalJson(repo.review(id)))
  return out
}

/** Checks the log against the seeded state and the library; returns the number of edits. */
function checkLog(store: LibraryStore, seeded: Map<string, string>): number {
  const log = new CorrectionLogRepository(store.db, Date.now)
  const state = new Map(seeded)
  for (const e of log.iterateEntries()) {
    expect(canonicalJson(e.before), `entry ${e.id} (edit ${e.editId}) of ${keyOf(e)}`).toBe(state.get(keyOf(e)) ?? 'null')
    state.set(keyOf(e), canonicalJson(e.after))
  }
  const now = currentTargets(store)
  for (const [key, value] of state) expect(now.get(key) ?? 'null', key).toBe(value)
  for (const key of now.keys()) expect(state.has(key), key).toBe(true)
  const { edits } = log.size()
  const ids = store.db.prepare('SELECT id FROM edits ORDER BY id').pluck().all() as number[]
  expect(ids).toEqual(ids.map((_, i) => i + 1)) // no edit lost in the middle
  const labelEntries = store.db.prepare("SELECT count(*) FROM corrections WHERE target = 'label'").pluck().get()
  expect(store.db.prepare('SELECT count(*) FROM label_history').pluck().get()).toBe(labelEntries)
  return edits
}

describe('corrections survive kill -9', () => {
  it('keeps every edit the killed process reported, with an intact log, over several kills', async () => {
    const db = path.join(tempDir(), 'library.db')
    const store = LibraryStore.open(db)
    const photos = await addCocoPhotos(store, 6)
    for (const p of photos) {
      store.saveAnalysis(p.id, {
        photo: { width: p.image.width, height: p.image.height, format: 'jpeg' },
        objects: p.image.boxes.slice(0, 4).map(([classId, ...box], i) => ({
          box: box as [number, number, number, number], classId, score: 0.3 + 0.15 * i, modelVersion: 'det@1', features: new Float32Array([classId, i]),
        })),
        labels: [...new Set(p.image.boxes.slice(0, 4).map((b) => b[0]))].map((classId) => ({ classId, state: 'positive' as const, confidence: 0.6, modelVersion: 'det@1' })),
        embeddings: [],
      })
    }
    const seeded = currentTargets(store)
    store.close()

    const kills: { afterMs: number; reported: number; edits: number }[] = []
    for (const [round, afterMs] of [150, 400, 50, 900, 250 + Math.floor(Math.random() * 500)].entries()) {
      const r = await burst(db, round + 1, afterMs)
      expect(r.signal).toBe('SIGKILL')
      expect(r.stderr).toBe('')
      const reported = r.lines.filter((l) => l.startsWith('committed ')).map((l) => l.split(' ').slice(1).map(Number))
      const s = LibraryStore.open(db)
      try {
        expect(s.check()).toEqual([])
        const log = new CorrectionLogRepository(s.db, Date.now)
        for (const [editId, entries] of reported) expect(log.entriesOf(editId), `edit ${editId}`).toHaveLength(entries)
        kills.push({ afterMs, reported: reported.length, edits: checkLog(s, seeded) })
      } finally {
        s.close()
      }
    }
    console.info('kills:', JSON.stringify(kills))
    expect(kills.reduce((n, k) => n + k.reported, 0)).toBeGreaterThan(20)
  }, 120_000)
})
