/**
 * The renderer's state, assembled once: every manager the views share, handed down through
 * Svelte context ({@link setWorkbench} in the shell, {@link useWorkbench} in views).
 */
import { getContext, setContext } from 'svelte'
import { onEvent } from './api.js'
import { AppState } from './managers/app-state.svelte.js'
import { ConnectionManager } from './managers/connection.svelte.js'
import { FolderBrowser } from './managers/folder-browser.svelte.js'
import { JobsManager } from './managers/jobs.svelte.js'
import { LibraryManager, throttle } from './managers/library.svelte.js'
import { PhotoGrid } from './managers/photo-grid.svelte.js'
import { PhotoViewer } from './managers/photo-viewer.svelte.js'
import { Router } from './managers/router.svelte.js'
import { SearchManager } from './managers/search.svelte.js'
import { SettingsManager } from './managers/settings.svelte.js'
import { Toasts } from './managers/toasts.svelte.js'
import { UiState } from './managers/ui.svelte.js'

/** Every shared manager. */
export interface Workbench {
  app: AppState
  settings: SettingsManager
  library: LibraryManager
  jobs: JobsManager
  grid: PhotoGrid
  viewer: PhotoViewer
  search: SearchManager
  folders: FolderBrowser
  router: Router
  toasts: Toasts
  ui: UiState
  connection: ConnectionManager
}

/** Creates the managers (no request is sent until {@link startWorkbench}). */
export function createWorkbench(): Workbench {
  return {
    app: new AppState(),
    settings: new SettingsManager(),
    library: new LibraryManager(),
    jobs: new JobsManager(),
    grid: new PhotoGrid(),
    viewer: new PhotoViewer(),
    search: new SearchManager(),
    folders: new FolderBrowser(),
    router: new Router(),
    toasts: new Toasts(),
    ui: new UiState(),
    connection: new ConnectionManager(),
  }
}

/** First loads and event subscriptions; returns the function that unsubscribes. */
export function startWorkbench(wb: Workbench): () => void {
  // The grid refreshes at most every 1.5 s while a folder indexes (it keeps its tiles meanwhile).
  const refreshGrid = throttle(() => {
    if (wb.grid.total !== null) void wb.grid.refresh()
  }, 1500)
  const offs = [
    wb.settings.connect(),
    wb.library.connect(),
    wb.jobs.connect(),
    onEvent('library.changed', refreshGrid),
    // An empty grid while a folder is scanned fills in as soon as its first photos are found.
    onEvent('job.updated', (job) => {
      if (wb.grid.total === 0 && (job.total ?? 0) > 0) refreshGrid()
    }),
    // A photo open while it waited for analysis shows its objects as soon as it has them.
    onEvent('library.changed', ({ photoIds }) => {
      const d = wb.viewer.detail
      if (d && d.status === 'pending' && (!photoIds || photoIds.includes(d.id))) void wb.viewer.reload()
    }),
    wb.connection.connect(() => {
      void wb.library.refresh()
      void wb.jobs.refresh()
      void wb.settings.load()
      if (wb.grid.total !== null) void wb.grid.refresh()
    }),
  ]
  void wb.app.refresh()
  void wb.library.refresh()
  void wb.jobs.refresh()
  void wb.settings.load().then(() => {
    wb.viewer.threshold = wb.settings.detectionThreshold
  })
  return () => offs.forEach((off) => off())
}

const KEY = Symbol('constella-workbench')

/** Makes the workbench available to the components below (call in the shell). */
export function setWorkbench(wb: Workbench): Workbench {
  return setContext(KEY, wb)
}

/** The workbench of the shell this component is in. */
export function useWorkbench(): Workbench {
  const wb = getContext<Workbench | undefined>(KEY)
  if (!wb) throw new Error('useWorkbench() outside the app shell')
  return wb
}
