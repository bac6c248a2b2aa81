/**
 * Who may call the API over IPC: only our own renderer — the dev server's origin during
 * `electron-vite dev`, else the built index.html on disk. Pure (no Electron) so it is tested
 * under Node.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** Where our renderer is loaded from. */
export interface TrustedRenderer {
  /** The dev server URL (`ELECTRON_RENDERER_URL`), only during `electron-vite dev`. */
  devUrl?: string
  /** Absolute path of the built renderer's index.html. */
  indexFile: string
}

/** True when a frame URL is our own renderer. Anything unparsable, remote or elsewhere on disk is refused. */
export function isTrustedSenderUrl(url: string | undefined, trusted: TrustedRenderer): boolean {
  if (!url) return false
  let sender: URL
  try {
    sender = new URL(url)
  } catch {
    return false
  }
  if (trusted.devUrl && (sender.protocol === 'http:' || sender.protocol === 'https:')) {
    return sender.origin === new URL(trusted.devUrl).origin
  }
  if (sender.protocol !== 'file:' || sender.host !== '') return false
  let file: string
  try {
    file = fileURLToPath(sender)
  } catch {
    return false
  }
  return path.relative(path.resolve(trusted.indexFile), path.resolve(file)) === ''
}
