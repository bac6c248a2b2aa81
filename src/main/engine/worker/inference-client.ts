/**
 * The main-process side of the inference engine: a supervised process that owns every ORT
 * session, reached through sequence-numbered requests. The process starts on the first request,
 * and again on the next request after it died.
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
import { describeExit, spawnInferenceProcess, type InferenceProcessHandle } from './spawn-inference-process.js'

/** The inference process exited (crash, kill, out of memory) while a request was in flight. */
export class InferenceProcessDiedError extends Error {
  constructor(readonly pid: number | undefined, readonly code: number | null, readonly signal: NodeJS.Signals | null) {
    super(`the inference process (pid ${pid ?? '?'}) exited with ${describeExit(code, signal)} while this request was in flight; the next request restarts it`)
    this.name = 'InferenceProcessDiedError'
  }
}

/** A request cancelled through its AbortSignal (name `AbortError`, like DOM aborts). */
export class InferenceAbortError extends Error {
  constructor(message: string, readonly reason?: unknown) {
    super(message)
    this.name = 'AbortError'
  }
}

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

  constructor(private readonly options: InferenceEngineOptions = {}) {}

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
    if (!pending) return // aborted, or the reply to a cancel
    this.pending.delete(reply.seq)
    if (reply.ok) pending.resolve(reply.value)
    else pending.reject(fromWireError(reply.error))
  }

  private exited(proc: InferenceProcessHandle, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.process === proc) this.process = null
    this.failAll(() => new InferenceProcessDiedError(proc.pid, code, signal), proc)
  }

  private failAll(error: () => Error, only?: InferenceProcessHandle): void {
    for (const [seq, pending] of this.pending) {
      if (only && pending.process !== only) continue
      this.pending.delete(seq)
      pending.reject(error())
    }
  }
}
