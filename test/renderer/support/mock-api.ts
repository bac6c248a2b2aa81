/**
 * The one mock of the renderer's API module (`src/renderer/lib/api.ts`) for component tests of
 * managers and services. Import this file FIRST in a test (before any renderer module): it
 * registers the mock, then tests answer channels with {@link mockApi.handle}, push events with
 * {@link mockApi.emit} and read what was called in {@link mockApi.calls}.
 */
import { vi } from 'vitest'
import type { ApiChannel, ApiEventName, ApiEvents, ApiRequest, ApiResponse } from '../../../src/shared/api-contract.js'
import { ApiError } from '../../../src/shared/envelope.js'

/** Answers one channel (may throw an ApiError to fail the call). */
export type Handler<C extends ApiChannel> = (request: ApiRequest<C>) => ApiResponse<C> | Promise<ApiResponse<C>>

type AnyHandler = (request: unknown) => unknown
type Listener = (payload: unknown) => void

const state = vi.hoisted(() => ({
  handlers: new Map<string, AnyHandler>(),
  calls: [] as { channel: string; request: unknown }[],
  listeners: new Map<string, Set<Listener>>(),
  mode: 'browser' as 'electron' | 'browser',
  connection: 'connected' as string,
  connectionListeners: new Set<(state: string) => void>(),
}))

vi.mock('../../../src/renderer/lib/api.ts', () => ({
  api: {},
  async call(channel: string, request: unknown) {
    state.calls.push({ channel, request: structuredClone(request) })
    const handler = state.handlers.get(channel)
    if (!handler) throw new ApiError('internal', `test: no handler for ${channel}`)
    return structuredClone(await handler(request))
  },
  onEvent(event: string, handler: Listener) {
    const set = state.listeners.get(event) ?? new Set<Listener>()
    set.add(handler)
    state.listeners.set(event, set)
    return () => set.delete(handler)
  },
  mediaUrl: (kind: string, id: number) => `/media/${kind}/${id}`,
  get appMode() {
    return state.mode
  },
  connectionState: {
    get current() {
      return state.connection
    },
    subscribe(run: (s: string) => void) {
      run(state.connection)
      state.connectionListeners.add(run)
      return () => state.connectionListeners.delete(run)
    },
  },
}))

/** Controls the mocked API. */
export const mockApi = {
  /** Answers `channel` with `handler` from now on. */
  handle<C extends ApiChannel>(channel: C, handler: Handler<C>): void {
    state.handlers.set(channel, handler as AnyHandler)
  },
  /** Makes `channel` fail with an ApiError. */
  fail(channel: ApiChannel, message: string, code: ApiError['code'] = 'internal'): void {
    state.handlers.set(channel, () => {
      throw new ApiError(code, message)
    })
  },
  /** Requests seen so far, in order. */
  get calls(): readonly { channel: string; request: unknown }[] {
    return state.calls
  },
  /** Requests of one channel. */
  callsOf<C extends ApiChannel>(channel: C): ApiRequest<C>[] {
    return state.calls.filter((c) => c.channel === channel).map((c) => c.request as ApiRequest<C>)
  },
  /** Pushes an event to every subscriber. */
  emit<E extends ApiEventName>(event: E, payload: ApiEvents[E]): void {
    for (const l of state.listeners.get(event) ?? []) l(payload)
  },
  /** Number of live subscriptions to `event`. */
  listenerCount(event: ApiEventName): number {
    return state.listeners.get(event)?.size ?? 0
  },
  /** Which shell the renderer believes it runs in. */
  setMode(mode: 'electron' | 'browser'): void {
    state.mode = mode
  },
  /** Changes the event connection's state (`connecting`, `connected`, `reconnecting`, `unauthorized`). */
  setConnection(next: 'connecting' | 'connected' | 'reconnecting' | 'unauthorized'): void {
    state.connection = next
    for (const run of state.connectionListeners) run(next)
  },
  /** Forgets handlers, calls and listeners (call in beforeEach). */
  reset(): void {
    state.handlers.clear()
    state.calls.length = 0
    state.listeners.clear()
    state.mode = 'browser'
    state.connection = 'connected'
    state.connectionListeners.clear()
  },
}

/** Lets pending promise callbacks run (a few microtask turns and one macrotask). */
export async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0))
}
