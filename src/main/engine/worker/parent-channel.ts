/**
 * The inference process's side of the connection to its parent, the same under Node `fork`
 * (`process.send`) and Electron `utilityProcess` (`process.parentPort`).
 */
import type { EngineResponse, ReadyMessage } from './protocol.js'

/** The parent connection: Node IPC under `fork`, `process.parentPort` under Electron's utilityProcess. */
export interface ParentChannel {
  onMessage(listener: (message: unknown) => void): void
  send(message: EngineResponse | ReadyMessage): Promise<void>
  close(): void
}

interface ElectronParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void
  postMessage(message: unknown): void
}

/** Connects to the parent; under Node the process exits when the parent disconnects. */
export function openParentChannel(): ParentChannel {
  const port = (process as unknown as { parentPort?: ElectronParentPort }).parentPort
  if (port) {
    return {
      onMessage: (listener) => port.on('message', (e) => listener(e.data)),
      send: async (message) => port.postMessage(message),
      close: () => setImmediate(() => process.exit(0)),
    }
  }
  if (!process.send) throw new Error('inference-process must be started by spawnInferenceProcess() (no IPC channel)')
  process.on('disconnect', () => process.exit(0))
  return {
    onMessage: (listener) => process.on('message', listener),
    send: (message) => new Promise((resolve) => process.send!(message, undefined, {}, () => resolve())),
    close: () => process.disconnect(),
  }
}
