/**
 * The main window: sandboxed, context-isolated, no Node in the renderer, a strict CSP, and no
 * navigation or new windows. Everything the renderer can do goes through window.api (and
 * window.constellaEvents for pushed events); photos come through the constella-media: scheme.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, BrowserWindow, dialog, session } from 'electron'
import { ELECTRON_CONTENT_SECURITY_POLICY } from './http/security-headers.js'
import { isTrustedSenderUrl, type TrustedRenderer } from './ipc/sender-check.js'

/** Where the renderer and preload are, relative to the built main bundle (out/main). */
export function rendererLocation(): TrustedRenderer & { preloadFile: string } {
  const here = path.dirname(fileURLToPath(import.meta.url))
  const devUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined
  return {
    ...(devUrl ? { devUrl } : {}),
    indexFile: path.join(here, '..', 'renderer', 'index.html'),
    preloadFile: path.join(here, '..', 'preload', 'index.cjs'),
  }
}

/** Applies the session-wide rules: CSP header, no permissions, no webviews, no navigation away from the app. */
function hardenSession(renderer: TrustedRenderer): void {
  if (!renderer.devUrl) {
    // The dev server needs inline styles and a websocket for HMR; its index.html meta relaxes that.
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [ELECTRON_CONTENT_SECURITY_POLICY] } })
    })
  }
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.defaultSession.setPermissionCheckHandler(() => false)
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault())
    // Reloads of our own page (dev server full reloads) may proceed; anything else stays put.
    contents.on('will-navigate', (event) => {
      if (!isTrustedSenderUrl(event.url, renderer)) event.preventDefault()
    })
    contents.on('will-redirect', (event) => {
      if (!isTrustedSenderUrl(event.url, renderer)) event.preventDefault()
    })
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  })
}

function createMainWindow(location: ReturnType<typeof rendererLocation>): BrowserWindow {
  const window = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Constella',
    webPreferences: {
      preload: location.preloadFile,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  })
  window.once('ready-to-show', () => window.show())
  if (location.devUrl) void window.loadURL(location.devUrl)
  else void window.loadFile(location.indexFile)
  return window
}

/** Opens the main window and keeps one open while the app runs. Call last, after `app.whenReady()`. */
export function setupWindows(location = rendererLocation()): BrowserWindow {
  hardenSession(location)
  const window = createMainWindow(location)
  app.on('second-instance', () => {
    const [first] = BrowserWindow.getAllWindows()
    if (first?.isMinimized()) first.restore()
    first?.focus()
  })
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow(location)
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  return window
}

/** The native folder dialog (`folders.pick` in the desktop shell): the chosen folder, or null when cancelled. */
export async function pickFolderDialog(): Promise<string | null> {
  const options = { title: 'Add a folder to the library', properties: ['openDirectory' as const] }
  const parent = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0]
  const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options)
  return result.canceled ? null : (result.filePaths[0] ?? null)
}
