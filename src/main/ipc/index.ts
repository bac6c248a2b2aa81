/** The Electron IPC transport of the API. */
export { setupIpc } from './setup-ipc.js'
export { isTrustedSenderUrl, type TrustedRenderer } from './sender-check.js'
