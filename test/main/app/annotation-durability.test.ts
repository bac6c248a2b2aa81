/**
 * Durability of edits with real processes: a real `constella serve` (from source) over a library
 * of coco-dev photos takes a burst of edits through its HTTP API from several concurrent clients
 * and is killed with SIGKILL mid-burst. Every edit whose ok reply arrived must be in SQLite (its
 * rows) and in the correction log; the log and the rows must agree (nothing half-applied); and a
 * restarted server must serve them.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiChannel, ApiRequest } from '../../../src/shared/api-contract.js'
import type { Envelope } from '../../../src/shared/envelope.js'
import { createAppEngine } from '../../../src/main/app/app-engine.js'
import { copyPhotos } from './app-fixture.js'

const root = path.resolve(import.meta.dirname, '../../..')
const scratch = path.join('/tmp/annot-app', `durability-${process.pid}`)
const libraryDir = path.join(scratch, 'library')

interface Server { child: ChildProcess; url: string; token: string; exited: Promise<unknown> }

/** Starts `constella serve` from source on `port` over the test library. */
function serve(port: number): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/main/serve.ts'), '--port', String(port), '--library', libraryDir,
    '--renderer-dir', path.join(scratch, 'no-renderer')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const exited = new Promise((resolve) => child.once('exit', resolve))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 90_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /Constella is serving (http:\/\/\S+)/.exec(output)
      if (!match) return
      clearTimeout(timer)
      const login = new URL(match[1])
      resolve({ child, url: login.origin, token: login.searchParams.get('token') ?? '', exited })
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    void exited.then(() => reject(new Error(`serve exited:\n${output}`)))
  })
}

async function call<C extends ApiChannel>(server: Server, channel: C, request: ApiRequest<C>): Promise<Envelope<unknown>> {
  const res = await fetch(`${server.url}/api/${channel}`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` }, body: JSON.stringify(request),
  })
  return (await res.json()) as Envelope<unknown>
}

let photoIds: number[] = []

beforeAll(async () => {
  rmSync(scratch, { recursive: true, force: true })
  mkdirSync(scratch, { recursive: true })
  const photos = path.join(scratch, 'photos')
  copyPhotos(photos, 3, 20)
  const engine = await createAppEngine({ mode: 'browser', libraryDir })
  try {
    await engine.services.folders.add(photos)
    for (let i = 0; i < 1200 && engine.services.jobs.list().some((j) => j.state === 'queued' || j.state === 'running'); i++) await new Promise((r) => setTimeout(r, 100))
    photoIds = engine.services.photos.list({ filter: {}, sort: { key: 'name', order: 'asc' }, limit: 10 }).items.map((c) => c.id)
  } finally {
    await engine.dispose()
  }
}, 180_000)

afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe('edits survive kill -9', () => {
  it('keeps every acknowledged edit, in the rows and in the correction log, and nothing half-applied', async () => {
    expect(photoIds).toHaveLength(3)
    const server = await serve(5311)
    const acked: { editId: number; photoId: number; classId: number | null; state: string | null; objectId?: number }[] = []
    let failures = 0
    let killed = false
    const states = ['positive', 'negative', 'unknown', null] as const
    const client = async (seed: number) => {
      for (let i = 0; !killed; i++) {
        const photoId = photoIds[(seed + i) % photoIds.length]
        const classId = (seed * 7 + i * 3) % 80
        try {
          if (i % 5 === 4) {
            const reply = await call(server, 'boxes.add', { photoId, box: [10 + i, 10, 60 + i, 70], classId })
            if (reply.ok) {
              const v = reply.value as { edit: { editId: number }; objectId: number }
              acked.push({ editId: v.edit.editId, photoId, classId: null, state: null, objectId: v.objectId })
            }
          } else {
            const state = states[(seed + i) % states.length]
            const reply = await call(server, 'labels.set', { photoId, classId, state })
            const edit = reply.ok ? (reply.value as { edit: { editId: number } | null }).edit : null
            if (edit) acked.push({ editId: edit.editId, photoId, classId, state })
          }
        } catch {
          failures++ // the server is gone: this request was not acknowledged
          return
        }
      }
    }
    const burst = Promise.all([1, 2, 3, 4].map(client))
    while (acked.length < 60) await new Promise((r) => setTimeout(r, 5))
    server.child.kill('SIGKILL')
    await server.exited
    killed = true
    await burst
    expect(failures).toBeGreaterThan(0) // requests were in flight when it died
    console.info(`[durability] ${acked.length} edits acknowledged before kill -9, ${failures} requests in flight`)

    const db = new Database(path.join(libraryDir, 'library.db'), { readonly: true })
    try {
      const entries = db.prepare('SELECT * FROM corrections WHERE edit_id = ? ORDER BY id')
      for (const a of acked) {
        const rows = entries.all(a.editId) as { target: string; photo_id: number; class_id: number | null; object_id: number | null; after: string | null }[]
        expect(rows.length, `edit ${a.editId} is in the log`).toBeGreaterThan(0)
        if (a.objectId !== undefined) expect(rows.some((r) => r.target === 'box' && r.object_id === a.objectId && r.after !== null)).toBe(true)
        else {
          const label = rows.find((r) => r.target === 'label' && r.class_id === a.classId && r.photo_id === a.photoId)!
          expect(label).toBeDefined()
          expect(label.after === null ? null : (JSON.parse(label.after) as { state: string }).state).toBe(a.state)
        }
      }
      expect(db.prepare('SELECT count(*) FROM edits WHERE id NOT IN (SELECT edit_id FROM corrections)').pluck().get()).toBe(0)
      // the rows agree with the last entry of every label and box the log touched
      const lastLabels = db.prepare(`SELECT c.photo_id, c.class_id, c.after, l.state, l.origin FROM corrections c
        LEFT JOIN labels l ON l.photo_id = c.photo_id AND l.class_id = c.class_id AND l.source = 'human'
        WHERE c.target = 'label' AND c.id = (SELECT max(id) FROM corrections d WHERE d.target = 'label' AND d.photo_id = c.photo_id AND d.class_id = c.class_id)`).all() as
        { after: string | null; state: string | null; origin: string | null }[]
      expect(lastLabels.length).toBeGreaterThan(10)
      for (const r of lastLabels) {
        const after = r.after === null ? null : (JSON.parse(r.after) as { state: string; origin: string })
        expect(after ? { state: r.state, origin: r.origin } : r.state).toEqual(after ? { state: after.state, origin: after.origin } : null)
      }
      const lastBoxes = db.prepare(`SELECT c.object_id, c.after, o.id AS row FROM corrections c LEFT JOIN objects o ON o.id = c.object_id
        WHERE c.target = 'box' AND c.id = (SELECT max(id) FROM corrections d WHERE d.object_id = c.object_id)`).all() as { after: string | null; row: number | null }[]
      expect(lastBoxes.length).toBeGreaterThan(0)
      for (const b of lastBoxes) expect(b.row !== null).toBe(b.after !== null)
    } finally {
      db.close()
    }

    const again = await serve(5312)
    try {
      const history = await call(again, 'edits.history', { limit: 500 })
      expect(history.ok).toBe(true)
      const logged = new Set((history.ok ? (history.value as { editId: number }[]) : []).map((e) => e.editId))
      for (const a of acked) expect(logged.has(a.editId)).toBe(true)
      const last = acked.filter((a) => a.objectId === undefined).at(-1)!
      const view = await call(again, 'annotations.get', { photoId: last.photoId })
      expect(view.ok).toBe(true)
      const jobs = await call(again, 'jobs.list', {})
      expect(jobs.ok && (jobs.value as { state: string }[]).every((j) => j.state !== 'running')).toBe(true)
    } finally {
      again.child.kill('SIGTERM')
      await again.exited
    }
  }, 300_000)
})
