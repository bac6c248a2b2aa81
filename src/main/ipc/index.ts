/** The Electron IPC transport of the API and of pushed events. */
export { setupIpc } from './setup-ipc.js'
export { setupEvents } from './setup-events.js'
export { isTrustedSenderUrl, type TrustedRenderer } from './sender-check.js'
