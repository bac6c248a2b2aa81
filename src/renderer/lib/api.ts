/**
 * The renderer's only door to the engine, in both shells:
 * - requests: `window.api` when the Electron preload provided it, else the same contract over
 *   `fetch('/api/<channel>')` with the session cookie (browser against `constella serve`);
 * - pushed events: `window.constellaEvents` (IPC) or the `/events` WebSocket, reconnected with
 *   backoff; {@link connectionState} says how that connection is doing;
 * - photos: {@link mediaUrl}, by photo id only.
 * Components and managers use these exports; tests mock this module.
 */
import { API_CHANNELS, HTTP_EVENTS_PATH, MEDIA_SCHEME, httpApiPath, httpMediaPath, versionQuery, type ApiChannel, type MediaKind } from '../../shared/api-channels.js'
import type { ApiEventMessage, ApiEventName, ApiEvents, ApiRequest, ApiResponse, ConstellaApi } from '../../shared/api-contract.js'
import { ApiError, fail, isEnvelope, type Envelope } from '../../shared/envelope.js'

/** The event subscription the Electron preload exposes as `window.constellaEvents`. */
export interface EventBridge {
  subscribe(handler: (message: ApiEventMessage) => void): () => void
}

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a plain browser. */
    readonly api?: ConstellaApi
    /** Set by the Electron preload; absent in a plain browser. */
    readonly constellaEvents?: EventBridge
  }
}

const preloaded = typeof window === 'undefined' ? undefined : window.api
const bridge = typeof window === 'undefined' ? undefined : window.constellaEvents

/** Which shell this page runs in. */
export const appMode: 'electron' | 'browser' = preloaded ? 'electron' : 'browser'

/** What a 401 means to the user. */
export const UNAUTHORIZED_MESSAGE = 'This page has no valid session: open the link printed by `constella serve` (each start prints a new one).'

/** The subset of `fetch` the HTTP client needs (injectable for tests). */
export type FetchLike = (
  input: string,
  init: { method: string; headers: Record<string, string>; body: string; credentials: 'same-origin' },
) => Promise<{ status: number; json(): Promise<unknown> }>

/** The contract over HTTP: POST JSON to `<base>/api/<channel>` with the session cookie, read back an envelope. */
export function createHttpApi(fetchFn: FetchLike, base = ''): ConstellaApi {
  const callChannel = async (channel: ApiChannel, request: unknown): Promise<Envelope<unknown>> => {
    let reply: unknown
    let status: number
    try {
      const res = await fetchFn(base + httpApiPath(channel), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(request ?? {}),
        credentials: 'same-origin',
      })
      status = res.status
      reply = await res.json().catch(() => null)
    } catch (err) {
      return fail('internal', `cannot reach the Constella server: ${err instanceof Error ? err.message : String(err)}`)
    }
    if (status === 401) return fail('unauthorized', UNAUTHORIZED_MESSAGE)
    if (!isEnvelope(reply)) return fail('internal', `the server answered ${channel} with HTTP ${status} and no envelope`)
    return reply
  }
  return Object.freeze(Object.fromEntries(API_CHANNELS.map((c) => [c, (r: unknown) => callChannel(c, r)]))) as ConstellaApi
}

/** The API client of this page: the preload's `window.api`, else HTTP on the page's own origin. */
export const api: ConstellaApi = preloaded ?? createHttpApi((input, init) => fetch(input, init))

/** An early reply older than this is not used: the library may have changed since. */
export const EARLY_REPLY_MS = 10_000
/** Replies asked for ahead ({@link askEarly}), per client, by channel and request. */
const earlyReplies = new WeakMap<ConstellaApi, Map<string, { reply: Promise<Envelope<unknown>>; at: number }>>()
const requestKey = (channel: ApiChannel, request: unknown): string => `${channel} ${JSON.stringify(request ?? {})}`

/**
 * Sends a request before the code that needs its reply has loaded (main.ts: the library grid's
 * first page, while the app's code downloads and compiles). The first {@link call} on `client`
 * with the same channel and an identical request within {@link EARLY_REPLY_MS} takes that reply
 * instead of asking again; a later or different call asks the engine as usual.
 */
export function askEarly<C extends ApiChannel>(channel: C, request: ApiRequest<C>, client: ConstellaApi = api): void {
  let replies = earlyReplies.get(client)
  if (!replies) earlyReplies.set(client, (replies = new Map()))
  replies.set(requestKey(channel, request), { reply: client[channel](request), at: performance.now() })
}

/** The reply asked for early for this exact call, if it is fresh; taken once. */
function takeEarly(client: ConstellaApi, channel: ApiChannel, request: unknown): Promise<Envelope<unknown>> | undefined {
  const replies = earlyReplies.get(client)
  if (!replies || replies.size === 0) return undefined
  const key = requestKey(channel, request)
  const early = replies.get(key)
  replies.delete(key)
  return early && performance.now() - early.at < EARLY_REPLY_MS ? early.reply : undefined
}

/** Calls a channel and unwraps the envelope; a failed envelope throws {@link ApiError}. */
export async function call<C extends ApiChannel>(channel: C, request: ApiRequest<C>, client: ConstellaApi = api): Promise<ApiResponse<C>> {
  const early = takeEarly(client, channel, request) as Promise<Envelope<ApiResponse<C>>> | undefined
  const reply = await (early ?? client[channel](request))
  if (!reply.ok) throw new ApiError(reply.error.code, reply.error.message)
  return reply.value
}

/** The URL of a photo or its thumbnail (`/media/thumb/7`, or `constella-media://thumb/7` in Electron). */
export function mediaUrl(kind: MediaKind, photoId: number, version?: string): string {
  return appMode === 'electron' ? `${MEDIA_SCHEME}://${kind}/${photoId}${versionQuery(version)}` : httpMediaPath(kind, photoId, version)
}

/** How the pushed-event connection is doing (Electron: always `connected`). */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'unauthorized'

/** A value the UI can read and watch (a Svelte store: `$connectionState` works). */
export interface Watchable<T> {
  readonly current: T
  /** Calls `run` now and on every change; returns the unsubscribe function. */
  subscribe(run: (value: T) => void): () => void
}

/** The part of a WebSocket the event client uses (the browser's, or `ws` in tests). */
export interface SocketLike {
  onopen: ((ev: unknown) => void) | null
  onmessage: ((ev: { data: unknown }) => void) | null
  onclose: ((ev: unknown) => void) | null
  onerror: ((ev: unknown) => void) | null
  close(): void
}

/** Options of {@link createEventClient}. */
export interface EventClientOptions {
  /** Opens the events socket. */
  connect(): SocketLike
  /** After a handshake failed: true when the server says the session is missing (stop retrying). */
  unauthorized?(): Promise<boolean>
  /** Reconnect delays: first, cap (ms). */
  backoff?: { initialMs: number; maxMs: number }
}

/** Fan-out of one event stream to typed per-event handlers. */
export interface EventClient {
  on<E extends ApiEventName>(event: E, handler: (payload: ApiEvents[E]) => void): () => void
  readonly state: Watchable<ConnectionState>
  /** Stops reconnecting and closes the socket (tests, page teardown). */
  close(): void
}

function watchable<T>(initial: T): Watchable<T> & { set(value: T): void } {
  let current = initial
  const runs = new Set<(value: T) => void>()
  return {
    get current() {
      return current
    },
    subscribe(run) {
      runs.add(run)
      run(current)
      return () => void runs.delete(run)
    },
    set(value) {
      if (value === current) return
      current = value
      for (const run of [...runs]) run(value)
    },
  }
}

type Handlers = Map<string, Set<(payload: unknown) => void>>

function deliver(handlers: Handlers, message: ApiEventMessage): void {
  for (const handler of [...(handlers.get(message.event) ?? [])]) {
    try {
      handler(message.payload)
    } catch (err) {
      console.error(`[events] a ${message.event} handler failed:`, err)
    }
  }
}

function addHandler(handlers: Handlers, event: string, handler: (payload: never) => void): () => void {
  const set = handlers.get(event) ?? new Set()
  handlers.set(event, set)
  set.add(handler as (payload: unknown) => void)
  return () => void set.delete(handler as (payload: unknown) => void)
}

/** Events over a WebSocket, opened on first use and reopened with exponential backoff (jittered). */
export function createEventClient(options: EventClientOptions): EventClient {
  const { initialMs, maxMs } = options.backoff ?? { initialMs: 500, maxMs: 10_000 }
  const handlers: Handlers = new Map()
  const state = watchable<ConnectionState>('connecting')
  let socket: SocketLike | null = null
  let started = false
  let stopped = false
  let failures = 0
  let timer: ReturnType<typeof setTimeout> | undefined

  const open = (): void => {
    let opened = false
    let ws: SocketLike
    try {
      ws = options.connect()
    } catch (err) {
      console.error('[events] cannot open the events socket:', err)
      return void retry(false)
    }
    socket = ws
    ws.onopen = () => {
      opened = true
      failures = 0
      state.set('connected')
    }
    ws.onmessage = (ev) => {
      let message: ApiEventMessage
      try {
        message = JSON.parse(String(ev.data)) as ApiEventMessage
      } catch {
        return
      }
      if (message && typeof message.event === 'string') deliver(handlers, message)
    }
    ws.onerror = () => {}
    ws.onclose = () => {
      if (socket !== ws || stopped) return
      socket = null
      void retry(opened)
    }
  }
  const retry = async (wasOpen: boolean): Promise<void> => {
    if (!wasOpen && (await options.unauthorized?.().catch(() => false))) return state.set('unauthorized')
    if (stopped) return
    state.set('reconnecting')
    const delay = Math.min(maxMs, initialMs * 2 ** failures++) * (0.8 + 0.4 * Math.random())
    timer = setTimeout(open, delay)
  }
  const start = (): void => {
    if (started || stopped) return
    started = true
    open()
  }
  return {
    on(event, handler) {
      start()
      return addHandler(handlers, event, handler)
    },
    state: {
      get current() {
        return state.current
      },
      subscribe(run) {
        start()
        return state.subscribe(run)
      },
    },
    close() {
      stopped = true
      clearTimeout(timer)
      socket?.close()
      socket = null
    },
  }
}

/** Events over the preload's bridge (Electron): always connected. */
function createBridgeClient(events: EventBridge): EventClient {
  const handlers: Handlers = new Map()
  let unsubscribe: (() => void) | undefined
  return {
    on(event, handler) {
      unsubscribe ??= events.subscribe((message) => deliver(handlers, message))
      return addHandler(handlers, event, handler)
    },
    state: watchable<ConnectionState>('connected'),
    close: () => unsubscribe?.(),
  }
}

function browserEventClient(): EventClient {
  return createEventClient({
    // the browser sends the session cookie with the handshake (same origin)
    connect: () => new WebSocket(`${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${HTTP_EVENTS_PATH}`) as unknown as SocketLike,
    // a cheap call: it fails with `unauthorized` exactly when the handshake lacked the session
    unauthorized: () => call('settings.get', {}).then(() => false, (err: unknown) => err instanceof ApiError && err.code === 'unauthorized'),
  })
}

let events: EventClient | undefined
const eventClient = (): EventClient => (events ??= bridge ? createBridgeClient(bridge) : browserEventClient())

/** Calls `handler` with every pushed `event`; returns the unsubscribe function. */
export function onEvent<E extends ApiEventName>(event: E, handler: (payload: ApiEvents[E]) => void): () => void {
  return eventClient().on(event, handler)
}

/**
 * The state of the pushed-event connection, for a "reconnecting…" or "open the link again"
 * notice. After `reconnecting` turns back into `connected`, events may have been missed: refetch.
 */
export const connectionState: Watchable<ConnectionState> = {
  get current() {
    return eventClient().state.current
  },
  subscribe: (run) => eventClient().state.subscribe(run),
}
