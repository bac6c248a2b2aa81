/**
 * Builds the app (electron-vite build: main incl. serve.js, preload, renderer) when out/ is
 * missing or older than its sources, so `npm start` / `npm run serve` never run a stale build.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')

/** What a build produces (the oldest of these is compared with the newest source). */
export const OUTPUTS = ['out/main/index.js', 'out/main/serve.js', 'out/preload/index.cjs', 'out/renderer/index.html']
/** What a build reads. */
const SOURCES = ['src', 'electron.vite.config.ts', 'package.json', 'tsconfig.json']

function newestMtime(file) {
  const info = statSync(file, { throwIfNoEntry: false })
  if (!info) return 0
  if (!info.isDirectory()) return info.mtimeMs
  let newest = info.mtimeMs
  for (const entry of readdirSync(file)) newest = Math.max(newest, newestMtime(path.join(file, entry)))
  return newest
}

/** Why out/ must be rebuilt, or null when it is current. */
export function staleReason() {
  const missing = OUTPUTS.find((file) => !existsSync(path.join(root, file)))
  if (missing) return `${missing} is missing`
  const built = Math.min(...OUTPUTS.map((file) => statSync(path.join(root, file)).mtimeMs))
  const changed = Math.max(...SOURCES.map((file) => newestMtime(path.join(root, file))))
  return changed > built ? 'the sources changed since the last build' : null
}

/** Builds when stale; exits the process with the build's status when it fails. */
export function ensureBuilt() {
  const reason = staleReason()
  if (!reason) return
  console.log(`building the app (${reason})…`)
  const cli = path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
  const result = spawnSync(process.execPath, [cli, 'build'], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) {
    console.error('the build failed (see above)')
    process.exit(result.status ?? 1)
  }
}

if (import.meta.url === `file://${process.argv[1]}`) ensureBuilt()
