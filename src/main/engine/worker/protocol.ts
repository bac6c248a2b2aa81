/**
 * The typed, sequence-numbered RPC between the main process and the inference process.
 * Every request carries a `seq` chosen by the client; every reply is an envelope for that `seq`.
 * Tensors cross as typed arrays (Node `serialization: 'advanced'` / Electron structured clone).
 */
import { z } from 'zod'
import type { TensorMap } from '../inference-types.js'
import type { ProviderReport, ProviderSetting } from '../models/sessions.js'

/** Load a model of the pack now (normally models load lazily on their first run). */
export interface LoadModelRequest { seq: number; kind: 'load-model'; model: string }
/** Run a model. */
export interface RunRequest { seq: number; kind: 'run'; model: string; feeds: TensorMap; fetches?: string[] }
/** Drop the queued request `target` (a running request cannot be interrupted). */
export interface CancelRequest { seq: number; kind: 'cancel'; target: number }
/** Describe the process and its sessions. */
export interface InfoRequest { seq: number; kind: 'info' }
/** Release every session and exit. */
export interface ShutdownRequest { seq: number; kind: 'shutdown' }

/** Any request from the client. */
export type EngineRequest = LoadModelRequest | RunRequest | CancelRequest | InfoRequest | ShutdownRequest
/** The request kinds. */
export type RequestKind = EngineRequest['kind']

/** One loaded model as reported by `info` and `load-model`. */
export interface LoadedModel {
  /** Model name in the pack. */
  name: string
  /** The pack file it was loaded from. */
  file: string
  provider: ProviderReport
  inputNames: string[]
  outputNames: string[]
  /** Milliseconds to verify the file and create the session. */
  loadMs: number
  /** Completed runs. */
  runs: number
}

/** What `info` returns. */
export interface EngineInfo {
  pid: number
  packDir: string
  /** The provider setting of this process. */
  provider: ProviderSetting
  /** Loaded models by name. */
  models: Record<string, LoadedModel>
  /** Requests waiting in the queue. */
  queued: number
  /** Requests dropped by cancel before they ran. */
  cancelled: number
}

/** The value type of a successful reply, per request kind. */
export interface ResponseValues {
  'load-model': LoadedModel
  run: TensorMap
  cancel: { cancelled: boolean }
  info: EngineInfo
  shutdown: null
}

/** Sent once by the inference process when it listens for requests (before that, requests could be lost). */
export interface ReadyMessage { kind: 'ready'; pid: number }

/** True for the {@link ReadyMessage}. */
export function isReadyMessage(message: unknown): message is ReadyMessage {
  return typeof message === 'object' && message !== null && (message as { kind?: unknown }).kind === 'ready'
}

/** An error that crossed the process boundary. */
export interface WireError { name: string; message: string }

/** A reply envelope. */
export type EngineResponse<V = unknown> = { seq: number; ok: true; value: V } | { seq: number; ok: false; error: WireError }

/** Environment variable that carries the {@link InferenceProcessConfig} (JSON) to the inference process. */
export const INFERENCE_CONFIG_ENV = 'CONSTELLA_INFERENCE_CONFIG'

/** Start-up configuration of the inference process. */
export interface InferenceProcessConfig {
  packDir: string
  provider?: ProviderSetting
  intraOpNumThreads?: number
}

const tensorSchema = z.object({
  type: z.enum(['float32', 'int32', 'int64', 'uint8', 'bool']),
  dims: z.array(z.number().int().nonnegative()),
  data: z.union([z.instanceof(Float32Array), z.instanceof(Int32Array), z.instanceof(BigInt64Array), z.instanceof(Uint8Array)]),
})
const seq = z.number().int().nonnegative()

/** Parses every message the inference process receives. */
export const engineRequestSchema = z.discriminatedUnion('kind', [
  z.object({ seq, kind: z.literal('load-model'), model: z.string().min(1) }),
  z.object({ seq, kind: z.literal('run'), model: z.string().min(1), feeds: z.record(z.string(), tensorSchema), fetches: z.array(z.string()).optional() }),
  z.object({ seq, kind: z.literal('cancel'), target: seq }),
  z.object({ seq, kind: z.literal('info') }),
  z.object({ seq, kind: z.literal('shutdown') }),
])

/** Parses every message the client receives (the value is typed by the pending request's kind). */
export const engineResponseSchema = z.union([
  z.object({ seq, ok: z.literal(true), value: z.unknown() }),
  z.object({ seq, ok: z.literal(false), error: z.object({ name: z.string(), message: z.string() }) }),
])

/** Turns any thrown value into a wire error, keeping its name and message. */
export function toWireError(err: unknown): WireError {
  if (err instanceof Error) return { name: err.name || 'Error', message: err.message }
  return { name: 'Error', message: String(err) }
}

/** Rebuilds a wire error on the client side: same name and message, so callers can match on either. */
export function fromWireError(error: WireError): Error {
  const e = new Error(error.message)
  e.name = error.name
  return e
}
