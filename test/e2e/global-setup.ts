/**
 * Builds the app (electron-vite build: main incl. serve.js, preload, renderer) before the e2e
 * tests, so they never run against a stale out/. Set CONSTELLA_E2E_SKIP_BUILD=1 to use out/ as is.
 * Clears the failure reports of an earlier run.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

/** Vitest global setup hook. */
export default function setup(): void {
  const root = path.resolve(import.meta.dirname, '../..')
  // This run's failure reports only (workbench-support's FAILURES_FILE).
  rmSync(path.join(root, 'test-results', 'e2e-failures.txt'), { force: true })
  if (process.env.CONSTELLA_E2E_SKIP_BUILD === '1') {
    for (const file of ['out/main/serve.js', 'out/renderer/index.html']) {
      if (!existsSync(path.join(root, file))) throw new Error(`CONSTELLA_E2E_SKIP_BUILD=1 but ${file} is missing: npm run build`)
    }
    return
  }
  const cli = path.join(path.dirname(createRequire(import.meta.url).resolve('electron-vite/package.json')), 'bin', 'electron-vite.js')
  const result = spawnSync(process.execPath, [cli, 'build'], { cwd: root, encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`electron-vite build failed:\n${result.stdout}\n${result.stderr}`)
}
