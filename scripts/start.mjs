/**
 * `npm start`: the Electron window where the Electron runtime is installed, else browser mode
 * (`constella serve`), saying so in one line. `npm run serve` is `start.mjs --browser`.
 * Arguments after `--` go to the server (e.g. `npm run serve -- --port 0`).
 */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { electronRuntime } from './electron-runtime.mjs'
import { ensureBuilt } from './ensure-built.mjs'

const root = path.resolve(import.meta.dirname, '..')
const args = process.argv.slice(2)
const browserOnly = args[0] === '--browser'
if (browserOnly) args.shift()

/** Runs a child with this terminal; forwards SIGTERM to it (Ctrl+C reaches it directly) and exits with its code. */
function run(command, commandArgs) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit' })
  const forward = (signal) => () => child.kill(signal)
  process.on('SIGINT', () => {}) // the child gets Ctrl+C from the terminal and shuts down itself
  process.on('SIGTERM', forward('SIGTERM'))
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}

ensureBuilt()
if (!browserOnly && electronRuntime()) {
  run(process.execPath, [path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'preview', '--skipBuild'])
} else {
  if (!browserOnly) console.log('no Electron runtime here (npm run setup:electron downloads it); starting browser mode')
  run(process.execPath, [path.join(root, 'out', 'main', 'serve.js'), ...args])
}
