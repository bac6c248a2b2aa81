/**
 * `node out/main/serve.js` as a real child process for e2e tests: a free port, a temporary
 * library (never the user's), the real model pack unless told otherwise. Resolves once the server
 * printed its `Constella is serving <url>` line.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '../..')

/** A running server process. */
export interface ServeProcess {
  /** The printed URL (it carries the token). */
  loginUrl: string
  /** The same URL without the token. */
  url: string
  token: string
  child: ChildProcess
  /** Everything it printed so far. */
  output(): string
  /** SIGTERM, and the exit code once it stopped. */
  stop(): Promise<number | null>
}

/**
 * Starts the built server. `env` adds to this process's environment (e.g. CONSTELLA_MODELS);
 * `port` 0 (the default) takes a free one.
 */
export function startServe(libraryDir: string, env: Record<string, string> = {}, timeoutMs = 60_000, port = 0): Promise<ServeProcess> {
  const child = spawn(process.execPath, [path.join(root, 'out/main/serve.js'), '--port', String(port), '--library', libraryDir], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM')
      reject(new Error(`serve did not start within ${timeoutMs} ms:\n${output}`))
    }, timeoutMs)
    const onData = (chunk: Buffer): void => {
      output += chunk.toString()
      const match = /Constella is serving (http:\/\/\S+)/.exec(output)
      if (!match) return
      clearTimeout(timer)
      const loginUrl = match[1]
      const token = new URL(loginUrl).searchParams.get('token') ?? ''
      resolve({
        loginUrl,
        url: loginUrl.replace(/\?token=.*$/, ''),
        token,
        child,
        output: () => output,
        stop: () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
          return exited
        },
      })
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`serve exited with ${code}:\n${output}`))
    })
  })
}
