/**
 * The real CLI as a child process (`node bin/constella.mjs ...`), for tests of what happens
 * between processes: locks, concurrent readers, kills.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { ROOT } from './helpers.js'

/** How a CLI process ended. */
export interface CliExit {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** A running CLI process. */
export interface CliProcess {
  child: ChildProcess
  exit: Promise<CliExit>
  /** Output so far. */
  output(): { stdout: string; stderr: string }
}

const started: ChildProcess[] = []

/** Starts `constella <args>`; `env` is added to this process's environment. */
export function startCli(args: string[], env: Record<string, string> = {}): CliProcess {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'constella.mjs'), ...args], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env },
  })
  started.push(child)
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (d: Buffer) => { stdout += d.toString() })
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString() })
  const exit = new Promise<CliExit>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
  return { child, exit, output: () => ({ stdout, stderr }) }
}

/** Runs `constella <args>` to its end. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliExit> {
  return startCli(args, env).exit
}

/** SIGKILLs every CLI process a test started that is still running (afterAll). */
export function killStartedClis(): void {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
}

/** Resolves once `check()` is true (polled every 50 ms); rejects after `timeoutMs` with `what`. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not ${what} within ${timeoutMs / 1000} s`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
