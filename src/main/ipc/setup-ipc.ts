/**
 * The Electron IPC transport: one `ipcMain.handle` per contract channel, each checking that the
 * sender is the main frame of our own renderer before dispatching to the shared API.
 */
import { ipcMain } from 'electron'
import { API_CHANNELS, ipcChannelName } from '../../shared/api-contract.js'
import type { Api } from '../api/handlers.js'
import { dispatchIpc } from './ipc-dispatch.js'
import type { TrustedRenderer } from './sender-check.js'

/** Registers a handler for every channel of the contract. Call once, after `app.whenReady()`. */
export function setupIpc(api: Api, trusted: TrustedRenderer): void {
  for (const channel of API_CHANNELS) {
    ipcMain.handle(ipcChannelName(channel), (event, request: unknown) => dispatchIpc(api, channel, event.senderFrame, request, trusted))
  }
}
