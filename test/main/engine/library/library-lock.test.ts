/**
 * One owner per library, with real processes: a second `constella index` is refused with the
 * holder's name while the first runs, `constella search` reads all along without failing either
 * side, the app's lock sends CLI indexing to the app, a SIGKILLed holder's lock is taken over,
 * and a reader's open never deletes another live process's index save in progress.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { Library } from '../../../../src/main/engine/library/library.js'
import { acquireLibraryLock, LibraryInUseError, LOCK_FILE, readLibraryLock } from '../../../../src/main/engine/library/library-lock.js'
import { killStartedClis, runCli, startCli, waitFor } from './cli-process.js'
import { copyCocoPhotos, ROOT, tempFolder } from './helpers.js'

const temp = tempFolder('constella-lock-')
const photos = path.join(temp.dir, 'photos')
const more = path.join(temp.dir, 'more')
const libDir = path.join(temp.dir, 'library')
const lockFile = path.join(libDir, LOCK_FILE)
const workers: ChildProcess[] = []

afterAll(() => {
  killStartedClis()
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL')
  temp.cleanup()
})

/** A process holding the library's lock like the app (constella serve), until killed. */
async function holdLikeTheApp(dir: string, url: string): Promise<ChildProcess> {
  const worker = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/main/engine/library/fixtures/hold-lock-worker.ts'), dir, url], {
    cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'],
  })
  workers.push(worker)
  await new Promise<void>((resolve, reject) => {
    worker.stdout!.on('data', (d: Buffer) => d.toString().includes('held') && resolve())
    worker.on('exit', (code) => reject(new Error(`lock worker exited with ${code}`)))
  })
  return worker
}

/** A statement on a read-only connection; undefined while the database does not exist. */
function readOnly<T>(sql: string): T | undefined {
  try {
    const db = new Database(path.join(libDir, 'library.db'), { readonly: true, fileMustExist: true })
    try {
      return db.prepare(sql).get() as T
    } finally {
      db.close()
    }
  } catch {
    return undefined
  }
}

describe('one owner per library', () => {
  it('refuses a second index while one runs, and search keeps working beside it', { timeout: 600_000 }, async () => {
    copyCocoPhotos(photos, 3, 120)
    const first = await runCli(['index', photos, '--library', libDir])
    expect(first.code, first.stderr).toBe(0)
    expect(existsSync(lockFile)).toBe(false) // released at the end of the run

    copyCocoPhotos(more, 40, 130)
    const writer = startCli(['index', more, '--library', libDir, '--json'])
    const indexed = (): number => readOnly<{ n: number }>("SELECT count(*) AS n FROM photos WHERE status = 'indexed'")?.n ?? 0
    await waitFor(() => existsSync(lockFile) && indexed() >= 4, 'the second run indexed a photo')

    // Readers while the owner writes (two at a time): every search succeeds, and the writer never sees "locked".
    const searches: Awaited<ReturnType<typeof runCli>>[] = []
    const searchWhileWriting = async (id: number): Promise<void> => {
      while (writer.child.exitCode === null && searches.length < 30) {
        searches.push(await runCli(['search', '--id', String(id), '--k', '3', '--library', libDir]))
      }
    }
    const second = runCli(['index', more, '--library', libDir])
    await Promise.all([searchWhileWriting(1), searchWhileWriting(2)])
    for (const r of searches) {
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout).toMatch(/^1\s+\d\.\d{3}\s/m)
    }
    expect(searches.length).toBeGreaterThanOrEqual(4)
    const refused = await second
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(`the library ${libDir} is in use by \`constella index\` (pid ${writer.child.pid}`)
    expect(refused.stderr).toMatch(/Wait for it to finish \(or stop it\), then run the command again/)
    const done = await writer.exit
    expect(done.code, done.stderr).toBe(0)
    expect(done.stderr).not.toMatch(/locked|SQLITE_BUSY/i)
    const report = JSON.parse(done.stdout) as { failed: unknown[]; library_counts: { indexed: number } }
    expect(report.failed).toEqual([])
    expect(report.library_counts.indexed).toBe(43)
    expect(readOnly<{ n: number }>("SELECT count(*) AS n FROM runs WHERE status = 'completed'")?.n).toBe(2)
  })

  it('sends CLI indexing to the app while the app owns the library; search still works', { timeout: 300_000 }, async () => {
    const url = 'http://127.0.0.1:5301/'
    const app = await holdLikeTheApp(libDir, url)
    expect(readLibraryLock(libDir)).toMatchObject({ pid: app.pid, command: 'constella serve', app: true, url, hostname: os.hostname() })
    const refused = await runCli(['index', photos, '--library', libDir])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(`the library ${libDir} is in use by the Constella app \`constella serve\` (pid ${app.pid}`)
    expect(refused.stderr).toContain(`The app is running: add or rescan the folder in the app (${url})`)
    const search = await runCli(['search', '--id', '2', '--k', '2', '--library', libDir])
    expect(search.code, search.stderr).toBe(0)

    // kill -9: the lock file stays behind, names a dead process, and the next writer takes it over.
    app.kill('SIGKILL')
    await new Promise((r) => app.once('exit', r))
    expect(existsSync(lockFile)).toBe(true)
    expect(readLibraryLock(libDir)).toBeUndefined()
    const after = await runCli(['index', photos, '--library', libDir])
    expect(after.code, after.stderr).toBe(0)
    expect(after.stdout).toContain('0 indexed, 3 unchanged')
    expect(existsSync(lockFile)).toBe(false)
  })

  it('takes over a lock of a reused pid or a torn lock file, and refuses one of another host', () => {
    const held = acquireLibraryLock(path.join(temp.dir), { command: 'test' })
    held.release()
    const file = path.join(temp.dir, LOCK_FILE)
    // Our own pid, but another process start time: the pid was reused, the holder is gone.
    writeFileSync(file, JSON.stringify({ pid: process.pid, procStart: 1, command: 'old', hostname: os.hostname(), startedAt: '', token: 'x' }))
    acquireLibraryLock(temp.dir, { command: 'new' }).release()
    writeFileSync(file, '{"pid": 12') // a crash while writing (cannot happen with link(), but old files may be torn)
    acquireLibraryLock(temp.dir).release()
    writeFileSync(file, JSON.stringify({ pid: 1, command: 'constella index', hostname: 'elsewhere', startedAt: '', token: 'y' }))
    let error: unknown
    try {
      acquireLibraryLock(temp.dir)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(LibraryInUseError)
    expect((error as Error).message).toContain(`\`constella index\` (pid 1 on elsewhere`)
    expect((error as Error).message).toContain(`If that process is no longer running, delete ${file}`)
    expect(readFileSync(file, 'utf8')).toContain('elsewhere') // refused: left as it was
  })

  it('never deletes a live process\'s index save in progress; the owner clears dead ones', { timeout: 300_000 }, async () => {
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120000)'], { stdio: 'ignore' })
    workers.push(live)
    const dead = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' })
    await new Promise((r) => dead.once('exit', r))
    const liveTemp = path.join(libDir, 'index', `photos.usearch.tmp-${live.pid}-0a1b2c3d`)
    const deadTemp = path.join(libDir, 'index', `objects.usearch.tmp-${dead.pid}-4e5f6a7b`)
    writeFileSync(liveTemp, 'half of an index being saved')
    writeFileSync(deadTemp, 'left by a crash')

    const reader = await runCli(['search', '--id', '1', '--k', '2', '--library', libDir])
    expect(reader.code, reader.stderr).toBe(0)
    expect([existsSync(liveTemp), existsSync(deadTemp)]).toEqual([true, true]) // a reader deletes nothing

    const owner = await Library.open({ dir: libDir, provider: 'cpu' })
    try {
      expect(owner.indexes.reports.photos.leftovers).toEqual([])
      expect(owner.indexes.reports.objects.leftovers).toEqual([path.basename(deadTemp)])
      expect([existsSync(liveTemp), existsSync(deadTemp)]).toEqual([true, false])
      // The owner holds the lock: a read-only open beside it works, a second writer does not.
      const reading = await Library.open({ dir: libDir, readOnly: true })
      expect(reading.indexes.photos.size).toBe(owner.indexes.photos.size)
      await reading.close()
      await expect(Library.open({ dir: libDir })).rejects.toThrow(/already open for writing in this process/)
    } finally {
      await owner.close()
      live.kill('SIGKILL')
    }
  })
})
