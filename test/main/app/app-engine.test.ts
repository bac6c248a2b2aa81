/**
 * createAppEngine as the library's one owner: refused, with the library and the holder named,
 * while another process writes the library; opened once that process has gone.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createAppEngine } from '../../../src/main/app/app-engine.js'
import { LibraryInUseError } from '../../../src/main/engine/library/library-lock.js'

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..')
const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))

/** A real process holding the library lock as `constella index` would, until its stdin closes. */
async function holdLock(dir: string): Promise<ChildProcess> {
  const worker = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/main/engine/library/fixtures/hold-lock-worker.ts'), dir], {
    cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'],
  })
  cleanups.push(() => worker.kill('SIGKILL'))
  await new Promise<void>((resolve, reject) => {
    worker.stdout!.on('data', (d: Buffer) => d.toString().includes('held') && resolve())
    worker.on('exit', (code) => reject(new Error(`lock worker exited with ${code}`)))
  })
  return worker
}

describe('createAppEngine', () => {
  it('refuses a library another process writes, naming it and the holder, and opens it once that process is gone', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'constella-app-lock-'))
    cleanups.push(() => rmSync(root, { recursive: true, force: true }))
    const libraryDir = path.join(root, 'library')
    const worker = await holdLock(libraryDir)
    const refused = await createAppEngine({ mode: 'browser', libraryDir }).then(() => undefined, (err: unknown) => err)
    expect(refused).toBeInstanceOf(LibraryInUseError)
    expect((refused as Error).message).toContain(libraryDir)
    expect((refused as Error).message).toContain(`pid ${worker.pid}`)
    const exited = new Promise((r) => worker.once('exit', r))
    worker.stdin!.end()
    await exited
    const engine = await createAppEngine({ mode: 'electron', libraryDir })
    try {
      expect((await engine.services.app.info()).mode).toBe('electron')
    } finally {
      await engine.dispose()
    }
  })
})
