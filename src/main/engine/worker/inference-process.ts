/**
 * Entry of the inference process: the one process that owns every onnxruntime session.
 * Started by `spawnInferenceProcess()` (Node `child_process.fork`, or Electron `utilityProcess`).
 * Models load lazily from the pack on their first run (sha256-verified); ORT work (load-model, run)
 * runs one request at a time from a queue; cancel drops queued requests; info and cancel are
 * answered as soon as the event loop is free.
 */
import * as ort from 'onnxruntime-node'
import type { TensorMap, TensorPayload, TensorType } from '../inference-types.js'
import { findModel, readManifest, readVerifiedModel } from '../models/pack.js'
import { createSession, resolveProviderSetting } from '../models/sessions.js'
import {
  engineRequestSchema,
  INFERENCE_CONFIG_ENV,
  toWireError,
  type EngineInfo,
  type EngineRequest,
  type EngineResponse,
  type InferenceProcessConfig,
  type LoadedModel,
  type LoadModelRequest,
  type RunRequest,
} from './protocol.js'
import { openParentChannel, type ParentChannel } from './parent-channel.js'

type Job = LoadModelRequest | RunRequest
interface Session { session: ort.InferenceSession; loaded: LoadedModel }

const SUPPORTED_OUTPUT_TYPES = new Set<string>(['float32', 'int32', 'int64', 'uint8', 'bool'])

/** The state of one inference process. */
class InferenceProcess {
  private readonly sessions = new Map<string, Session>()
  private readonly aliases = new Map<string, string>()
  private readonly queue: Job[] = []
  private running = false
  private cancelled = 0
  private shuttingDown = false

  constructor(private readonly config: InferenceProcessConfig, private readonly channel: ParentChannel) {}

  /** Handles one raw message from the parent. */
  receive(raw: unknown): void {
    const parsed = engineRequestSchema.safeParse(raw)
    if (!parsed.success) {
      const seq = (raw as { seq?: unknown } | null)?.seq
      if (typeof seq === 'number') this.reply(seq, { name: 'TypeError', message: `malformed request: ${parsed.error.message}` })
      return
    }
    const request = parsed.data as EngineRequest
    switch (request.kind) {
      case 'run':
      case 'load-model':
        if (this.shuttingDown) return this.reply(request.seq, { name: 'Error', message: 'the inference process is shutting down' })
        this.queue.push(request)
        void this.pump()
        return
      case 'cancel': {
        const index = this.queue.findIndex((job) => job.seq === request.target)
        if (index >= 0) {
          const [job] = this.queue.splice(index, 1)
          this.cancelled++
          this.reply(job.seq, { name: 'AbortError', message: `request ${job.seq} (${job.kind} ${job.model}) was cancelled before it ran` })
        }
        return this.reply(request.seq, null, { cancelled: index >= 0 })
      }
      case 'info':
        return this.reply(request.seq, null, this.info())
      case 'shutdown':
        void this.shutdown(request.seq)
    }
  }

  private info(): EngineInfo {
    const models: Record<string, LoadedModel> = {}
    for (const [name, s] of this.sessions) models[name] = { ...s.loaded }
    const provider = resolveProviderSetting(this.config.provider ?? process.env.CONSTELLA_PROVIDER)
    return { pid: process.pid, packDir: this.config.packDir, provider, models, queued: this.queue.length, cancelled: this.cancelled }
  }

  private async pump(): Promise<void> {
    if (this.running) return
    this.running = true
    try {
      for (;;) {
        // Yield first so cancel messages that arrived during the previous job are handled.
        await new Promise((resolve) => setImmediate(resolve))
        const job = this.queue.shift()
        if (!job) break
        try {
          const value = job.kind === 'run' ? await this.run(job) : (await this.load(job.model)).loaded
          this.reply(job.seq, null, value)
        } catch (err) {
          this.reply(job.seq, toWireError(err))
        }
      }
    } finally {
      this.running = false
    }
  }

  private async load(model: string): Promise<Session> {
    const known = this.sessions.get(this.aliases.get(model) ?? model)
    if (known) return known
    const started = performance.now()
    const entry = findModel(readManifest(this.config.packDir), model)
    const bytes = readVerifiedModel(this.config.packDir, entry)
    const { session, provider } = await createSession(bytes, {
      provider: this.config.provider,
      label: entry.name,
      intraOpNumThreads: entry.intraOpThreads ?? this.config.intraOpNumThreads,
    })
    const loaded: LoadedModel = {
      name: entry.name,
      file: entry.file,
      provider,
      inputNames: [...session.inputNames],
      outputNames: [...session.outputNames],
      loadMs: Math.round(performance.now() - started),
      runs: 0,
    }
    const created = { session, loaded }
    this.sessions.set(entry.name, created)
    this.aliases.set(model, entry.name)
    return created
  }

  private async run(job: RunRequest): Promise<TensorMap> {
    const { session, loaded } = await this.load(job.model)
    const feeds: Record<string, ort.Tensor> = {}
    for (const [name, t] of Object.entries(job.feeds)) {
      feeds[name] = new ort.Tensor(t.type, t.data as Float32Array, t.dims)
    }
    const results = job.fetches ? await session.run(feeds, job.fetches) : await session.run(feeds)
    loaded.runs++
    const out: TensorMap = {}
    for (const [name, tensor] of Object.entries(results)) out[name] = toPayload(loaded.name, name, tensor)
    return out
  }

  private async shutdown(seq: number): Promise<void> {
    this.shuttingDown = true
    for (const job of this.queue.splice(0)) this.reply(job.seq, { name: 'Error', message: 'the inference process shut down before this request ran' })
    while (this.running) await new Promise((resolve) => setTimeout(resolve, 10))
    for (const { session } of this.sessions.values()) await session.release().catch(() => undefined)
    this.sessions.clear()
    await this.channel.send({ seq, ok: true, value: null })
    this.channel.close()
  }

  private reply(seq: number, error: { name: string; message: string } | null, value?: unknown): void {
    const message: EngineResponse = error ? { seq, ok: false, error } : { seq, ok: true, value: value ?? null }
    void this.channel.send(message)
  }
}

function toPayload(model: string, name: string, tensor: ort.Tensor): TensorPayload {
  if (!SUPPORTED_OUTPUT_TYPES.has(tensor.type)) {
    throw new TypeError(`output ${name} of ${model} has element type ${tensor.type}, which the engine does not return`)
  }
  const data = tensor.data as TensorPayload['data']
  // A view into a larger buffer would clone the whole buffer: copy just the tensor.
  const own = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice()
  return { type: tensor.type as TensorType, dims: [...tensor.dims], data: own }
}

function readConfig(): InferenceProcessConfig {
  const json = process.env[INFERENCE_CONFIG_ENV]
  if (!json) throw new Error(`inference-process: missing ${INFERENCE_CONFIG_ENV} (start it with spawnInferenceProcess())`)
  return JSON.parse(json) as InferenceProcessConfig
}

const channel = openParentChannel()
const engine = new InferenceProcess(readConfig(), channel)
channel.onMessage((message) => engine.receive(message))
void channel.send({ kind: 'ready', pid: process.pid })
