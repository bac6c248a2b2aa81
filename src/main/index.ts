/**
 * Electron composition root: creates the services and calls every setupX() in order
 * (settings, protocol, ipc, windows). Nothing else lives here.
 */
import { app } from 'electron'
import { createApi } from './api/handlers.js'
import { createServices } from './api/services.js'
import { engineProviderSource } from './api/engine-provider.js'
import { InferenceEngine } from './engine/worker/inference-client.js'
import { setupIpc } from './ipc/index.js'
import { registerMediaScheme, setupProtocol } from './protocol.js'
import { setupSettings } from './settings.js'
import { rendererLocation, setupWindows } from './windows.js'

// Must happen before `ready`.
registerMediaScheme()
app.enableSandbox()

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  void app.whenReady().then(() => {
    const settings = setupSettings()
    setupProtocol(() => settings.libraryRoots)
    // the supervised inference process (a utilityProcess under Electron) starts on first use
    const engine = new InferenceEngine(settings.packDir ? { packDir: settings.packDir } : {})
    app.once('will-quit', () => void engine.dispose())
    const services = createServices({
      version: app.getVersion(),
      inference: engineProviderSource(engine),
      ...(settings.packDir ? { packDir: settings.packDir } : {}),
    })
    const api = createApi(services, { onInternalError: (channel, err) => console.error(`[api] ${channel}:`, err) })
    const location = rendererLocation()
    setupIpc(api, location)
    setupWindows(location)
  })
}
