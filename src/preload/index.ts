/**
 * Builds the one `window.api` from the contract: one function per channel, each an
 * `ipcRenderer.invoke` on that channel's IPC name. ipcRenderer itself is never exposed, so the
 * renderer cannot reach any other channel. Runs sandboxed (bundled as CommonJS).
 */
import { contextBridge, ipcRenderer } from 'electron'
import { API_CHANNELS, ipcChannelName, type ConstellaApi } from '../shared/api-contract.js'

const api = Object.freeze(
  Object.fromEntries(
    API_CHANNELS.map((channel) => [channel, (request: unknown) => ipcRenderer.invoke(ipcChannelName(channel), request)]),
  ),
) as ConstellaApi

contextBridge.exposeInMainWorld('api', api)
