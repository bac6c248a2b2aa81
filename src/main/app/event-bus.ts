/**
 * The app's pushed events (`ApiEvents` of the contract): services emit, transports subscribe and
 * carry each message to every window (IPC) or WebSocket. A listener that throws is logged and
 * kept: one broken transport must not stop the others.
 */
import type { ApiEventMessage, ApiEventName, ApiEvents } from '../../shared/api-contract.js'

/** Receives every pushed event. */
export type ApiEventListener = (message: ApiEventMessage) => void

/** Typed publish/subscribe of the contract's events. */
export class EventBus {
  private readonly listeners = new Set<ApiEventListener>()

  constructor(private readonly onListenerError: (error: unknown) => void = (e) => console.error('[events] a listener failed:', e)) {}

  /** Calls `listener` with every event from now on; returns the unsubscribe function. */
  subscribe(listener: ApiEventListener): () => void {
    this.listeners.add(listener)
    return () => void this.listeners.delete(listener)
  }

  /** Sends one event to every listener. */
  emit<E extends ApiEventName>(event: E, payload: ApiEvents[E]): void {
    const message = { event, payload } as ApiEventMessage
    for (const listener of [...this.listeners]) {
      try {
        listener(message)
      } catch (error) {
        this.onListenerError(error)
      }
    }
  }

  /** Number of listeners (tests, diagnostics). */
  get size(): number {
    return this.listeners.size
  }
}
