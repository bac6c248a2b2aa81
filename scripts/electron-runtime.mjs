/**
 * Where the Electron runtime is, without `require('electron')` (which downloads it when missing).
 * Mirrors node_modules/electron/index.js: path.txt names the binary under dist/ (or under
 * $ELECTRON_OVERRIDE_DIST_PATH).
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'

/** The Electron executable when it is installed, else null. */
export function electronRuntime(root = path.resolve(import.meta.dirname, '..')) {
  const dir = path.join(root, 'node_modules', 'electron')
  const pathFile = path.join(dir, 'path.txt')
  if (!existsSync(pathFile)) return null
  const binary = readFileSync(pathFile, 'utf8').trim()
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(dir, 'dist')
  const file = path.join(dist, binary)
  return binary && existsSync(file) ? file : null
}
