/** Sends the app's pushed events to every window of our renderer (see event-forwarding.ts). */
import { app, BrowserWindow } from 'electron'
import type { EventSource } from '../http/events-socket.js'
import { forwardEvents } from './event-forwarding.js'
import type { TrustedRenderer } from './sender-check.js'

/** Starts forwarding; stops when the app quits. Call after `app.whenReady()`. */
export function setupEvents(events: EventSource, trusted: TrustedRenderer): void {
  const stop = forwardEvents(events, () => BrowserWindow.getAllWindows().map((window) => window.webContents), trusted)
  app.once('will-quit', stop)
}
