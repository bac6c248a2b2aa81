/**
 * Starts the inference process. Under plain Node (CLI, server, tests) it is a
 * `child_process.fork` with `serialization: 'advanced'` so typed arrays cross intact; inside
 * Electron's main process (`process.versions.electron` set) the same entry runs as a `utilityProcess`.
 * Both are hidden behind {@link InferenceProcessHandle}.
 *
 * The native libraries print warnings of their own while providers are probed (Dawn: "Couldn't
 * load Vulkan" on every start of a machine without a GPU); under Node the process's stderr is
 * piped and those known lines are kept aside (`probeNoise()`, shown by `--verbose`) instead of
 * reaching the user's terminal. Everything else passes through. CONSTELLA_VERBOSE=1 passes all.
 */
import { fork } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createInterface } from 'node:readline'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { INFERENCE_CONFIG_ENV, isReadyMessage, type EngineRequest, type InferenceProcessConfig } from './protocol.js'

/** A running inference process, whatever started it. */
export interface InferenceProcessHandle {
  readonly pid: number | undefined
  /** Sends a request; delivery failures surface as the process's exit. */
  send(message: EngineRequest): void
  /** Every message other than the ready handshake. */
  onMessage(listener: (message: unknown) => void): void
  /** Called once when the process has exited (signal is null under Electron). */
  onExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void
  kill(signal?: NodeJS.Signals): void
}

/** The entry file next to this module: `.ts` when running from source (tsx/vitest), else the built `.js`. */
export function defaultInferenceEntry(): string {
  const here = fileURLToPath(import.meta.url)
  const ext = here.endsWith('.ts') ? '.ts' : '.js'
  const candidate = fileURLToPath(new URL(`./inference-process${ext}`, import.meta.url))
  return existsSync(candidate) ? candidate : fileURLToPath(new URL('./inference-process.js', import.meta.url))
}

/** Starts the inference process and resolves once it listens for requests. */
export async function spawnInferenceProcess(config: InferenceProcessConfig, entry = defaultInferenceEntry()): Promise<InferenceProcessHandle> {
  const env = { ...process.env, [INFERENCE_CONFIG_ENV]: JSON.stringify(config) }
  const handle = isElectronMain() ? await spawnElectron(entry, env) : spawnNode(entry, env)
  return waitUntilReady(handle)
}

/** Electron's main process (not ELECTRON_RUN_AS_NODE, where only `fork` exists). */
function isElectronMain(): boolean {
  return Boolean(process.versions.electron) && (process as { type?: string }).type === 'browser'
}

/** Native warnings of a provider probe that failed as expected (no GPU runtime here). */
const PROBE_NOISE = [
  /^Warning: .*\b(Vulkan|vk[A-Z]\w+|VK_ERROR_\w+|Dawn|D3D12|Metal)\b/,
  /^\s+at .*\(.*\/dawn[-/]/,
  /^\s*(Warning|Error): .*\b(dawn_native|WebGPU adapter)\b/,
]
const probeNoiseLines: string[] = []

/** The native probe warnings kept out of the terminal so far (for `--verbose` / diagnostics). */
export function probeNoise(): readonly string[] {
  return probeNoiseLines
}

/** Whether a stderr line of the inference process is known provider-probe noise. */
export function isProbeNoise(line: string): boolean {
  return PROBE_NOISE.some((re) => re.test(line))
}

/** Forwards the child's stderr line by line, keeping provider-probe noise aside. */
function filterStderr(stream: NodeJS.ReadableStream): void {
  const verbose = Boolean(process.env.CONSTELLA_VERBOSE)
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
    if (!verbose && isProbeNoise(line)) {
      if (probeNoiseLines.length < 100) probeNoiseLines.push(line)
    } else {
      process.stderr.write(`${line}\n`)
    }
  })
}

/** Plain Node: fork, with tsx loaded when the entry is TypeScript source. */
function spawnNode(entry: string, env: NodeJS.ProcessEnv): Starting {
  const execArgv = entry.endsWith('.ts') ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] : []
  const child = fork(entry, [], { serialization: 'advanced', execArgv, env, stdio: ['ignore', 'inherit', 'pipe', 'ipc'] })
  filterStderr(child.stderr!)
  child.on('error', () => undefined) // EPIPE after a crash; the 'exit' event reports the crash
  return {
    pid: child.pid,
    send: (message) => {
      if (child.connected) child.send(message, (err) => err && undefined)
    },
    onRawMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.once('exit', listener),
    kill: (signal) => child.kill(signal),
  }
}

/** Electron: a utilityProcess running the built entry (only ever used when process.versions.electron is set). */
async function spawnElectron(entry: string, env: NodeJS.ProcessEnv): Promise<Starting> {
  const { utilityProcess } = await import('electron')
  const child = utilityProcess.fork(entry, [], { serviceName: 'Constella inference', stdio: 'inherit', env })
  return {
    get pid() {
      return child.pid
    },
    send: (message) => child.postMessage(message),
    onRawMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.once('exit', (code: number) => listener(code, null)),
    kill: () => void child.kill(),
  }
}

interface Starting extends Omit<InferenceProcessHandle, 'onMessage'> {
  onRawMessage(listener: (message: unknown) => void): void
}

function waitUntilReady(starting: Starting): Promise<InferenceProcessHandle> {
  return new Promise((resolve, reject) => {
    const listeners: ((message: unknown) => void)[] = []
    let ready = false
    starting.onRawMessage((message) => {
      if (!ready && isReadyMessage(message)) {
        ready = true
        resolve({
          get pid() {
            return starting.pid
          },
          send: starting.send,
          onMessage: (listener) => listeners.push(listener),
          onExit: starting.onExit,
          kill: starting.kill,
        })
      } else if (ready) {
        for (const listener of listeners) listener(message)
      }
    })
    starting.onExit((code, signal) => {
      if (!ready) reject(new Error(`the inference process exited before it was ready (${describeExit(code, signal)}); see its output above`))
    })
  })
}

/** "code 1" / "signal SIGKILL". */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `code ${code}`
}
