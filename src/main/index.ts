/**
 * Electron composition root: opens the app engine (the library's one owner) and calls every
 * setupX() in order (settings, engine, protocol, ipc, windows, events). Nothing else lives here.
 */
import { app, dialog } from 'electron'
import { createApi } from './api/handlers.js'
import { createAppEngine, type AppEngine } from './app/app-engine.js'
import { setupEvents, setupIpc } from './ipc/index.js'
import { registerMediaScheme, setupProtocol } from './protocol.js'
import { setupSettings } from './settings.js'
import { pickFolderDialog, rendererLocation, setupWindows } from './windows.js'

// Must happen before `ready`.
registerMediaScheme()
app.enableSandbox()

/** Stops the engine before the app quits (its jobs resume at the next start). */
function disposeOnQuit(engine: AppEngine): void {
  let disposed = false
  app.on('will-quit', (event) => {
    if (disposed) return
    event.preventDefault()
    void engine.dispose().finally(() => {
      disposed = true
      app.quit()
    })
  })
}

async function start(): Promise<void> {
  const settings = setupSettings()
  const engine = await createAppEngine({ ...settings, mode: 'electron', pickFolder: pickFolderDialog })
  disposeOnQuit(engine)
  const api = createApi(engine.services, { onInternalError: (channel, err) => console.error(`[api] ${channel}:`, err) })
  const location = rendererLocation()
  setupProtocol(engine.services.media)
  setupIpc(api, location)
  setupWindows(location)
  setupEvents(engine.services.events, location)
}

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  void app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      // e.g. the library is in use by another process: its message names the library and the holder
      dialog.showErrorBox('Constella cannot start', err instanceof Error ? err.message : String(err))
      app.exit(1)
    })
}
