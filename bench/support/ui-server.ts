/**
 * The built browser-mode server for the UI benchmark: `node out/main/serve.js --port P --library
 * DIR` as a child process, ready once it prints `Constella is serving <url>` (the URL with this
 * run's token), stopped with SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The project root (two folders above this file). */
export const PROJECT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

/** A running server. */
export interface UiServer {
  /** The URL that carries the token (trades it for the session cookie). */
  loginUrl: string
  /** Seconds from spawn to the "serving" line (library open, index load, HTTP listen). */
  startSeconds: number
  pid: number
  /** Everything it printed (for a failure report). */
  output(): string
  stop(): Promise<void>
}

/**
 * The build to measure: $CONSTELLA_BENCH_OUT (e.g. `electron-vite build --outDir /abs/dir`, to
 * compare two builds without touching out/), else out/.
 */
export const BUILD_DIR = path.resolve(PROJECT_DIR, process.env.CONSTELLA_BENCH_OUT ?? 'out')

/** Throws with what to do when the app has not been built. */
export function assertBuilt(): void {
  for (const f of ['main/serve.js', 'renderer/index.html']) {
    if (!existsSync(path.join(BUILD_DIR, f))) throw new Error(`${path.join(BUILD_DIR, f)} is missing: run \`npm run build\` first`)
  }
}

/**
 * Starts the built server on `libraryDir` (serving the renderer in `rendererDir`, default the
 * built one) and waits (up to `timeoutMs`) until it serves.
 */
export async function startUiServer(libraryDir: string, port: number, rendererDir?: string, timeoutMs = 180_000): Promise<UiServer> {
  assertBuilt()
  const t0 = performance.now()
  const extra = ['--renderer-dir', rendererDir ?? path.join(BUILD_DIR, 'renderer')]
  const child: ChildProcess = spawn(process.execPath, [path.join(BUILD_DIR, 'main', 'serve.js'), '--port', String(port), '--library', libraryDir, ...extra], {
    cwd: PROJECT_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CONSTELLA_LIBRARY: libraryDir },
  })
  let out = ''
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const loginUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not serve within ${timeoutMs / 1000} s:\n${out}`)), timeoutMs)
    const onData = (chunk: Buffer): void => {
      out += chunk.toString()
      const m = /Constella is serving (\S+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve(m[1])
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the server exited (code ${code}) before serving:\n${out}`))
    })
  })
  const startSeconds = (performance.now() - t0) / 1000
  return {
    loginUrl,
    startSeconds,
    pid: child.pid!,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM')
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000)
      await exited
      clearTimeout(killer)
    },
  }
}
