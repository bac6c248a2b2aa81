/**
 * Plain-Node entry (no Electron): browser mode. Serves the built renderer, the API, the events
 * WebSocket and media on 127.0.0.1 behind this run's token. `npm run serve [-- --port N]`, or
 * `constella serve`.
 *
 * Options: --port N (default 5190, or $CONSTELLA_PORT; 0 picks a free port), --library DIR
 * (default $CONSTELLA_LIBRARY, else the per-user data folder), --models DIR (default
 * $CONSTELLA_MODELS, else resources/models), --renderer-dir DIR (default out/renderer).
 */
import path from 'node:path'
import { parseArgs } from 'node:util'
import { defaultRendererDir, resolvePort, serveUntilStopped } from './http/serve-browser.js'

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      library: { type: 'string' },
      models: { type: 'string' },
      'renderer-dir': { type: 'string' },
    },
    strict: true,
  })
  return serveUntilStopped({
    port: resolvePort(values.port),
    ...(values.library ? { libraryDir: path.resolve(values.library) } : {}),
    ...(values.models ? { packDir: path.resolve(values.models) } : {}),
    rendererDir: path.resolve(values['renderer-dir'] ?? defaultRendererDir()),
  })
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`constella serve: ${err instanceof Error ? err.message : String(err)}`)
    process.exit(1)
  },
)
