/**
 * Builds the one `window.api` from the contract (one function per channel, each an
 * `ipcRenderer.invoke` on that channel's IPC name) and `window.constellaEvents` (a subscription to
 * the pushed events). ipcRenderer itself is never exposed, so the renderer cannot reach any other
 * channel. Runs sandboxed (bundled as CommonJS).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { API_CHANNELS, IPC_EVENT_CHANNEL, ipcChannelName, type ApiEventMessage, type ConstellaApi } from '../shared/api-contract.js'

/** What the preload exposes as `window.constellaEvents`. */
export interface ConstellaEventsBridge {
  /** Calls `handler` with every pushed event; returns the unsubscribe function. */
  subscribe(handler: (message: ApiEventMessage) => void): () => void
}

const api = Object.freeze(
  Object.fromEntries(
    API_CHANNELS.map((channel) => [channel, (request: unknown) => ipcRenderer.invoke(ipcChannelName(channel), request)]),
  ),
) as ConstellaApi

const events: ConstellaEventsBridge = Object.freeze({
  subscribe(handler: (message: ApiEventMessage) => void) {
    if (typeof handler !== 'function') throw new TypeError('subscribe needs a function')
    // the IPC event object (with its sender) never reaches the page: only the message
    const listener = (_event: IpcRendererEvent, message: ApiEventMessage): void => handler(message)
    ipcRenderer.on(IPC_EVENT_CHANNEL, listener)
    return () => void ipcRenderer.removeListener(IPC_EVENT_CHANNEL, listener)
  },
})

contextBridge.exposeInMainWorld('api', api)
contextBridge.exposeInMainWorld('constellaEvents', events)
