/**
 * The Electron-free half of the IPC transport: which frames may call the API, and the reply an
 * IPC call gets. setup-ipc.ts registers it with `ipcMain.handle`; tests run it under Node.
 */
import type { ApiChannel } from '../../shared/api-contract.js'
import { fail, type Envelope } from '../../shared/envelope.js'
import type { Api } from '../api/handlers.js'
import { isTrustedSenderUrl, type TrustedRenderer } from './sender-check.js'

/** What an IPC event says about the frame that sent it (Electron's `WebFrameMain`, or null once gone). */
export interface SenderFrame {
  url: string
  /** The parent frame; null for a top frame. */
  parent: unknown
}

/** True when the sender is the top frame of our own renderer (no subframes, no navigated-away or destroyed frames). */
export function isTrustedFrame(frame: SenderFrame | null | undefined, trusted: TrustedRenderer): boolean {
  return !!frame && frame.parent === null && isTrustedSenderUrl(frame.url, trusted)
}

/** Answers one IPC call: refused with `forbidden` for an untrusted sender, else the dispatcher's envelope. */
export function dispatchIpc(
  api: Api,
  channel: ApiChannel,
  frame: SenderFrame | null | undefined,
  request: unknown,
  trusted: TrustedRenderer,
): Promise<Envelope<unknown>> {
  if (!isTrustedFrame(frame, trusted)) {
    return Promise.resolve(fail('forbidden', `IPC call on ${channel} from an untrusted sender refused`))
  }
  return api.call(channel, request)
}
