/** The errors of the inference engine's requests, and the watchdog's limit. */
import { describeExit } from './spawn-inference-process.js'

/** The inference process exited (crash, kill, out of memory) while a request was in flight. */
export class InferenceProcessDiedError extends Error {
  constructor(readonly pid: number | undefined, readonly code: number | null, readonly signal: NodeJS.Signals | null) {
    super(`the inference process (pid ${pid ?? '?'}) exited with ${describeExit(code, signal)} while this request was in flight; the next request restarts it`)
    this.name = 'InferenceProcessDiedError'
  }
}

/** The inference process stopped answering and was killed by the watchdog (it restarts on the next request). */
export class InferenceTimeoutError extends InferenceProcessDiedError {
  /** `what` names what was in flight, with its verb: "a run request was", "3 requests were". */
  constructor(pid: number | undefined, readonly timeoutMs: number, readonly what: string) {
    super(pid, null, 'SIGKILL')
    this.message = `the inference process (pid ${pid ?? '?'}) gave no reply for ${formatMs(timeoutMs)} while ${what} in flight, ` +
      `so it was presumed stuck and killed; the next request restarts it (raise the limit with ${INFERENCE_TIMEOUT_ENV}=<ms> if the models are just slow here)`
    this.name = 'InferenceTimeoutError'
  }
}

/** Environment variable that overrides the watchdog's limit (milliseconds). */
export const INFERENCE_TIMEOUT_ENV = 'CONSTELLA_INFERENCE_TIMEOUT_MS'

/** Default watchdog limit: generous, since the first request also loads (verifies) a model. */
export const DEFAULT_INFERENCE_TIMEOUT_MS = 120_000

function formatMs(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`
}

/** The watchdog limit: the option, else CONSTELLA_INFERENCE_TIMEOUT_MS, else 120 s; 0 turns it off. */
export function inferenceTimeoutMs(option?: number): number {
  const env = process.env[INFERENCE_TIMEOUT_ENV]
  const value = option ?? (env !== undefined && env.trim() !== '' ? Number(env) : DEFAULT_INFERENCE_TIMEOUT_MS)
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(`${INFERENCE_TIMEOUT_ENV} / requestTimeoutMs must be a number of milliseconds >= 0 (got ${String(option ?? env)})`)
  }
  return value
}

/** A request cancelled through its AbortSignal (name `AbortError`, like DOM aborts). */
export class InferenceAbortError extends Error {
  constructor(message: string, readonly reason?: unknown) {
    super(message)
    this.name = 'AbortError'
  }
}
