/**
 * Plain-Node entry (no Electron): serves the built renderer and the API on 127.0.0.1 so any
 * browser on this machine can use Constella. `npm run serve [-- --port N]`.
 *
 * Options: --port N (default 5190, or $CONSTELLA_PORT; 0 picks a free port),
 * --renderer-dir DIR (default out/renderer of the project). The pack folder is $CONSTELLA_MODELS
 * or resources/models.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createApi } from './api/handlers.js'
import { createServices } from './api/services.js'
import { engineProviderSource } from './api/engine-provider.js'
import { InferenceEngine } from './engine/worker/inference-client.js'
import { startHttpServer } from './http/server.js'

/** Port used when neither --port nor $CONSTELLA_PORT is given. */
export const DEFAULT_PORT = 5190

function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir)
  return dir
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, 'renderer-dir': { type: 'string' } },
    strict: true,
  })
  const port = Number(values.port ?? process.env.CONSTELLA_PORT ?? DEFAULT_PORT)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${values.port}`)
  const rendererDir = path.resolve(values['renderer-dir'] ?? path.join(projectRoot(), 'out', 'renderer'))
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    console.warn(`warning: no built renderer in ${rendererDir}; run: npm run build`)
  }
  const engine = new InferenceEngine()
  const services = createServices({ inference: engineProviderSource(engine) })
  const api = createApi(services, { onInternalError: (channel, err) => console.error(`[api] ${channel}:`, err) })
  const server = await startHttpServer({ api, rendererDir, port }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE') throw new Error(`port ${port} is in use; pick another: npm run serve -- --port 0`)
    throw err
  })
  console.log(`Constella is serving ${server.url}`)
  console.log(`model pack: ${services.models.packDir}`)
  const stop = (): void => {
    void Promise.allSettled([server.close(), engine.dispose()]).finally(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
