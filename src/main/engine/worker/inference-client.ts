/**
 * The main-process side of the inference engine: a supervised process that owns every ORT
 * session, reached through sequence-numbered requests. The process starts on the first request,
 * and again on the next request after it died. A watchdog kills a process that stops answering
 * (no reply for `requestTimeoutMs` while requests are in flight); it is then restarted like a
 * dead one.
 */
import type { InferenceRunner, RunOptions, TensorMap } from '../inference-types.js'
import { defaultPackDir } from '../models/pack.js'
import type { ProviderSetting } from '../models/sessions.js'
import {
  engineResponseSchema,
  fromWireError,
  type EngineInfo,
  type EngineRequest,
  type LoadedModel,
  type RequestKind,
  type ResponseValues,
} from './protocol.js'
import { InferenceAbortError, InferenceProcessDiedError, InferenceTimeoutError, inferenceTimeoutMs } from './inference-errors.js'
import { spawnInferenceProcess, type InferenceProcessHandle } from './spawn-inference-process.js'

export {
  DEFAULT_INFERENCE_TIMEOUT_MS, INFERENCE_TIMEOUT_ENV, InferenceAbortError, InferenceProcessDiedError, InferenceTimeoutError, inferenceTimeoutMs,
} from './inference-errors.js'

/** Options of {@link InferenceEngine}. */
export interface InferenceEngineOptions {
  /** The model pack folder; default {@link defaultPackDir}. */
  packDir?: string
  /** Execution provider setting; default CONSTELLA_PROVIDER, else `auto`. */
  provider?: ProviderSetting
  /** ORT intra-op threads in the process; default `os.availableParallelism()`. */
  intraOpNumThreads?: number
  /** Entry file of the process (tests, custom builds); default next to this module. */
  entry?: string
  /**
   * Watchdog: with requests in flight, a process that sends no reply for this long is killed and
   * restarted on the next request. Default CONSTELLA_INFERENCE_TIMEOUT_MS, else 120000; 0 = off.
   */
  requestTimeoutMs?: number
}

type Body = EngineRequest extends infer R ? (R extends EngineRequest ? Omit<R, 'seq'> : never) : never

interface Pending {
  kind: RequestKind
  resolve(value: unknown): void
  reject(error: Error): void
  process?: InferenceProcessHandle
}

/** The supervised inference engine: implements {@link InferenceRunner} for every pipeline stage. */
export class InferenceEngine implements InferenceRunner {
  private readonly pending = new Map<number, Pending>()
  private process: InferenceProcessHandle | null = null
  private starting: Promise<InferenceProcessHandle> | null = null
  private seq = 0
  private started = 0
  private disposed = false
  private readonly timeoutMs: number
  private watchdog: NodeJS.Timeout | undefined
  /** Set when the watchdog killed `process`: its exit fails the in-flight requests with this. */
  private stuck: { proc: InferenceProcessHandle; error: (pid: number | undefined) => Error } | undefined

  constructor(private readonly options: InferenceEngineOptions = {}) {
    this.timeoutMs = inferenceTimeoutMs(options.requestTimeoutMs)
  }

  /** Pid of the current inference process, if one is running. */
  get pid(): number | undefined {
    return this.process?.pid
  }

  /** How many times a process was started (1 + restarts). */
  get processStarts(): number {
    return this.started
  }

  /**
   * Runs a model of the pack by name. Aborting the signal rejects with an `AbortError` at once:
   * a queued request is dropped in the process; a running one finishes there and its result is discarded.
   */
  run(model: string, feeds: TensorMap, fetches?: string[], options: RunOptions = {}): Promise<TensorMap> {
    return this.request<'run'>({ kind: 'run', model, feeds, ...(fetches ? { fetches } : {}) }, options.signal)
  }

  /** Loads (verifies and creates the session of) a model now instead of on its first run. */
  loadModel(model: string, options: RunOptions = {}): Promise<LoadedModel> {
    return this.request<'load-model'>({ kind: 'load-model', model }, options.signal)
  }

  /** The process's pid, provider setting and per-model provider reports (starts the process if needed). */
  info(): Promise<EngineInfo> {
    return this.request<'info'>({ kind: 'info' })
  }

  /** Shuts the process down (killing it if it does not exit within `timeoutMs`); rejects what is pending. */
  async dispose(timeoutMs = 3000): Promise<void> {
    if (this.disposed) return
    this.disposed = true
    clearTimeout(this.watchdog)
    const proc = this.process ?? (await this.starting?.catch(() => null)) ?? null
    this.failAll(() => new Error('the inference engine was disposed'))
    if (!proc) return
    const exited = new Promise<void>((resolve) => proc.onExit(() => resolve()))
    proc.send({ seq: ++this.seq, kind: 'shutdown' })
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs)
    await exited
    clearTimeout(timer)
  }

  private request<K extends RequestKind>(body: Body & { kind: K }, signal?: AbortSignal): Promise<ResponseValues[K]> {
    if (this.disposed) return Promise.reject(new Error('the inference engine was disposed'))
    const what = 'model' in body ? `${body.kind} ${body.model}` : body.kind
    if (signal?.aborted) return Promise.reject(new InferenceAbortError(`${what} was aborted before it was sent`, signal.reason))
    const seq = ++this.seq
    return new Promise<ResponseValues[K]>((resolve, reject) => {
      const pending: Pending = { kind: body.kind, resolve: resolve as (v: unknown) => void, reject }
      this.pending.set(seq, pending)
      const onAbort = (): void => {
        if (this.pending.get(seq) !== pending) return
        this.pending.delete(seq)
        const sent = pending.process
        reject(new InferenceAbortError(`${what} (request ${seq}) was aborted${sent ? '' : ' before it was sent'}`, signal?.reason))
        if (sent && sent === this.process) sent.send({ seq: ++this.seq, kind: 'cancel', target: seq })
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      const settle = (): void => signal?.removeEventListener('abort', onAbort)
      pending.resolve = (v) => (settle(), resolve(v as ResponseValues[K]))
      pending.reject = (e) => (settle(), reject(e))
      this.ensureProcess().then(
        (proc) => {
          if (this.pending.get(seq) !== pending) return
          pending.process = proc
          if (!this.watchdog) this.armWatchdog()
          proc.send({ ...body, seq } as EngineRequest)
        },
        (err: Error) => {
          if (this.pending.get(seq) !== pending) return
          this.pending.delete(seq)
          pending.reject(err)
        },
      )
    })
  }

  private ensureProcess(): Promise<InferenceProcessHandle> {
    if (this.process) return Promise.resolve(this.process)
    if (this.starting) return this.starting
    const config = {
      packDir: this.options.packDir ?? defaultPackDir(),
      ...(this.options.provider ? { provider: this.options.provider } : {}),
      ...(this.options.intraOpNumThreads ? { intraOpNumThreads: this.options.intraOpNumThreads } : {}),
    }
    this.started++
    this.starting = spawnInferenceProcess(config, this.options.entry).then(
      (proc) => {
        this.starting = null
        this.process = proc
        proc.onMessage((message) => this.receive(message))
        proc.onExit((code, signal) => this.exited(proc, code, signal))
        return proc
      },
      (err: Error) => {
        this.starting = null
        throw err
      },
    )
    return this.starting
  }

  private receive(message: unknown): void {
    const parsed = engineResponseSchema.safeParse(message)
    if (!parsed.success) return
    const reply = parsed.data
    const pending = this.pending.get(reply.seq)
    this.armWatchdog() // any reply shows the process is alive
    if (!pending) return // aborted, or the reply to a cancel
    this.pending.delete(reply.seq)
    if (reply.ok) pending.resolve(reply.value)
    else pending.reject(fromWireError(reply.error))
  }

  private exited(proc: InferenceProcessHandle, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.process === proc) this.process = null
    const stuck = this.stuck?.proc === proc ? this.stuck : undefined
    if (stuck) this.stuck = undefined
    this.failAll(() => stuck ? stuck.error(proc.pid) : new InferenceProcessDiedError(proc.pid, code, signal), proc)
    this.armWatchdog()
  }

  /** (Re)starts the watchdog's countdown if requests are in flight in the current process, else stops it. */
  private armWatchdog(): void {
    clearTimeout(this.watchdog)
    this.watchdog = undefined
    const proc = this.process
    if (this.timeoutMs === 0 || !proc || this.disposed) return
    if (![...this.pending.values()].some((p) => p.process === proc)) return
    this.watchdog = setTimeout(() => this.presumeStuck(proc), this.timeoutMs)
    this.watchdog.unref()
  }

  /** No reply for `timeoutMs`: kill the process; its exit fails what was in flight (see `exited`). */
  private presumeStuck(proc: InferenceProcessHandle): void {
    this.watchdog = undefined
    if (this.process !== proc) return
    const inFlight = [...this.pending.values()].filter((p) => p.process === proc)
    if (inFlight.length === 0) return
    const what = inFlight.length === 1 ? `a ${inFlight[0].kind} request was` : `${inFlight.length} requests were`
    this.stuck = { proc, error: (pid) => new InferenceTimeoutError(pid, this.timeoutMs, what) }
    this.process = null // the next request starts a new process, even before this one has exited
    proc.kill('SIGKILL')
  }

  private failAll(error: () => Error, only?: InferenceProcessHandle): void {
    for (const [seq, pending] of this.pending) {
      if (only && pending.process !== only) continue
      this.pending.delete(seq)
      pending.reject(error())
    }
  }
}
