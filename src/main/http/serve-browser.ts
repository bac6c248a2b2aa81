/**
 * Browser mode's composition root, shared by `node out/main/serve.js` (`npm run serve`) and
 * `constella serve`: opens the app engine (the library's one owner), serves it on 127.0.0.1 and
 * records the served URL in the library lock.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createApi } from '../api/handlers.js'
import { createAppEngine } from '../app/app-engine.js'
import type { ProviderSetting } from '../engine/models/sessions.js'
import { startHttpServer } from './server.js'

/** Port used when neither --port nor $CONSTELLA_PORT is given. */
export const DEFAULT_PORT = 5190

/** Options of {@link serveBrowserMode}. */
export interface ServeOptions {
  /** 0 picks a free port. */
  port: number
  /** Library folder; default $CONSTELLA_LIBRARY, else the per-user data folder. */
  libraryDir?: string
  packDir?: string
  provider?: ProviderSetting
  /** The built renderer (out/renderer). */
  rendererDir: string
}

/** A running browser mode. */
export interface BrowserMode {
  /** The URL that carries the token: print it once. */
  loginUrl: string
  /** The URL without the token. */
  url: string
  libraryDir: string
  packDir: string
  /** Closes the server, then the engine (idempotent). */
  close(): Promise<void>
}

/** The built renderer of this project: out/renderer beside the nearest package.json. */
export function defaultRendererDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir)
  return path.join(dir, 'out', 'renderer')
}

/** The port of `--port` or $CONSTELLA_PORT, else {@link DEFAULT_PORT}; throws on anything but 0..65535. */
export function resolvePort(flag: string | undefined, env: string | undefined = process.env.CONSTELLA_PORT): number {
  const text = (flag ?? env ?? String(DEFAULT_PORT)).trim()
  const port = Number(text)
  if (text === '' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`invalid port "${text}": give a number from 1 to 65535, or 0 for a free one`)
  }
  return port
}

/** The clear message of a port that is taken. */
export function portInUseMessage(port: number): string {
  return `port ${port} is already in use (another Constella, or another program): pick another with --port N, or --port 0 for a free one`
}

/** Opens the engine and serves it. Throws a clear message when the library is in use or the port is taken. */
export async function serveBrowserMode(options: ServeOptions): Promise<BrowserMode> {
  if (!existsSync(path.join(options.rendererDir, 'index.html'))) {
    console.warn(`warning: no built renderer in ${options.rendererDir}; run: npm run build`)
  }
  const engine = await createAppEngine({
    mode: 'browser',
    ...(options.libraryDir ? { libraryDir: options.libraryDir } : {}),
    ...(options.packDir ? { packDir: options.packDir } : {}),
    ...(options.provider ? { provider: options.provider } : {}),
  })
  const { services } = engine
  const api = createApi(services, { onInternalError: (channel, err) => console.error(`[api] ${channel}:`, err) })
  const onError = (where: string, err: unknown): void => console.error(`[${where}]`, err)
  const server = await startHttpServer({ api, events: services.events, media: services.media, rendererDir: options.rendererDir, port: options.port, onError }).catch(
    async (err: NodeJS.ErrnoException) => {
      await engine.dispose()
      throw err.code === 'EADDRINUSE' ? new Error(portInUseMessage(options.port)) : err
    },
  )
  engine.setServedUrl(server.url)
  let closing: Promise<void> | undefined
  return {
    loginUrl: server.loginUrl,
    url: server.url,
    libraryDir: engine.library.paths.dir,
    packDir: services.models.packDir,
    close: () => (closing ??= server.close().finally(() => engine.dispose())),
  }
}

/**
 * Serves until SIGINT/SIGTERM, printing exactly one `Constella is serving <url-with-token>` line
 * and then the library and pack folders. Resolves with the exit code once stopped.
 */
export async function serveUntilStopped(options: ServeOptions, log: (line: string) => void = console.log): Promise<number> {
  const mode = await serveBrowserMode(options)
  log(`Constella is serving ${mode.loginUrl}`)
  log(`  library: ${mode.libraryDir}`)
  log(`  models:  ${mode.packDir}`)
  log('  open the link above in a browser on this machine (it carries this run\'s secret); Ctrl+C stops')
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      void mode.close().then(
        () => resolve(0),
        (err: unknown) => {
          console.error(`error while stopping: ${err instanceof Error ? err.message : String(err)}`)
          resolve(1)
        },
      )
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}
