/**
 * `constella serve`: browser mode. Opens the library as its owner and serves the workbench on
 * 127.0.0.1; prints one `Constella is serving <url>` line whose URL carries this run's secret.
 */
import { defaultRendererDir, resolvePort, serveUntilStopped } from '../../main/http/serve-browser.js'
import type { Command } from '../index.js'

export const serveCommand: Command = {
  summary: 'serve the workbench to a browser on this machine (127.0.0.1, behind a per-run secret link)',
  usage: 'constella serve [--port N (default 5190 or $CONSTELLA_PORT; 0 = a free port)] [--library DIR] [--models DIR]',
  options: { port: { type: 'string' } },
  async run(values) {
    let port: number
    try {
      port = resolvePort(values.port as string | undefined)
    } catch (err) {
      console.error(`constella serve: ${(err as Error).message}`)
      return 2
    }
    // --library and --models arrive as $CONSTELLA_LIBRARY / $CONSTELLA_MODELS (set by the CLI), the engine's defaults
    return serveUntilStopped({ port, rendererDir: defaultRendererDir() })
  },
}
