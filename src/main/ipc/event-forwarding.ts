/**
 * Pushed events in the Electron shell: every event of the app goes to each window showing our own
 * renderer, on {@link IPC_EVENT_CHANNEL}. Electron-free (windows come in through a function), so
 * it is tested under Node; setup-events.ts passes the real windows.
 */
import { IPC_EVENT_CHANNEL } from '../../shared/api-contract.js'
import type { EventSource } from '../http/events-socket.js'
import { isTrustedSenderUrl, type TrustedRenderer } from './sender-check.js'

/** The part of a window's `webContents` that receives events. */
export interface EventReceiver {
  isDestroyed(): boolean
  /** The URL of its top frame. */
  getURL(): string
  send(channel: string, ...args: unknown[]): void
}

/** Forwards every event to the live receivers that show our renderer; returns the unsubscribe function. */
export function forwardEvents(events: EventSource, receivers: () => Iterable<EventReceiver>, trusted: TrustedRenderer): () => void {
  return events.subscribe((message) => {
    for (const contents of receivers()) {
      if (contents.isDestroyed() || !isTrustedSenderUrl(contents.getURL(), trusted)) continue
      contents.send(IPC_EVENT_CHANNEL, message)
    }
  })
}
