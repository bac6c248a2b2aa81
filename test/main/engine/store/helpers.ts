/** Temporary library files for store tests. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'

/** A fresh temp dir per call, removed after the current test. */
export function useTempDirs(): () => string {
  const dirs: string[] = []
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'constella-store-'))
    dirs.push(dir)
    return dir
  }
}

/** A path for a new library database in a fresh temp dir. */
export function useTempDb(): () => string {
  const tempDir = useTempDirs()
  return () => join(tempDir(), 'library.db')
}
