/**
 * The one API contract shared by every transport (Electron IPC, the local HTTP server) and by the
 * renderer: channel name -> zod request schema + response type. Pure TS: no node:/electron imports.
 *
 * To add a channel: add its name to {@link API_CHANNELS}, its request schema to {@link apiContract}
 * and its response type to {@link ApiResponses}; the compiler then asks for the handler.
 */
import { z } from 'zod'
import type { Envelope } from './envelope.js'

/** Every channel, in a stable order (the preload and the HTTP client build the API from it). */
export const API_CHANNELS = ['app.info', 'models.list'] as const

/** A channel name. */
export type ApiChannel = (typeof API_CHANNELS)[number]

/** True when `name` is a channel of the contract. */
export function isApiChannel(name: string): name is ApiChannel {
  return (API_CHANNELS as readonly string[]).includes(name)
}

/** A request without parameters: an empty object (unknown keys are refused). */
const noParams = /* @__PURE__ */ z.strictObject({})

/** Request schemas, one per channel. Every request is parsed with these before a handler runs. */
export const apiContract = {
  'app.info': noParams,
  'models.list': noParams,
} as const satisfies Record<ApiChannel, z.ZodType>

/** Status of one model file of the pack against its manifest sha256. */
export type ModelFileStatus = 'ok' | 'missing' | 'mismatch'

/** What the app says about itself. */
export interface AppInfo {
  /** Constella's version (package.json). */
  version: string
  /** Node's platform name of the machine running the engine, e.g. "linux". */
  platform: string
  /** Absolute folder of the model pack. */
  packDir: string
  /** The inference execution provider in use (e.g. "cpu"), absent while the engine is not running. */
  provider?: string
}

/** One model of the pack, as listed to the user. */
export interface ModelRow {
  name: string
  role: string
  /** npm package the weights come from, as name@version. */
  source: string
  /** File name inside the pack folder. */
  file: string
  /** sha256 recorded in the manifest (hex). */
  sha256: string
  /** Size recorded in the manifest. */
  bytes: number
  status: ModelFileStatus
}

/** Response type of each channel. */
export interface ApiResponses {
  'app.info': AppInfo
  'models.list': ModelRow[]
}

/** The request a caller passes on a channel (schema input). */
export type ApiRequest<C extends ApiChannel> = z.input<(typeof apiContract)[C]>

/** The request a handler receives after parsing (schema output). */
export type ParsedRequest<C extends ApiChannel> = z.output<(typeof apiContract)[C]>

/** The value a channel resolves to. */
export type ApiResponse<C extends ApiChannel> = ApiResponses[C]

/** The API as the renderer sees it: one function per channel, each resolving to an envelope. */
export type ConstellaApi = {
  readonly [C in ApiChannel]: (request: ApiRequest<C>) => Promise<Envelope<ApiResponse<C>>>
}

/** The Electron IPC channel name that carries a contract channel. */
export function ipcChannelName(channel: ApiChannel): string {
  return `constella:${channel}`
}

/** The HTTP path that carries a contract channel (POST, JSON body). */
export function httpApiPath(channel: ApiChannel): string {
  return `/api/${channel}`
}
