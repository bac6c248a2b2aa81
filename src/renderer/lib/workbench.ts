/**
 * The renderer's state, assembled once: every manager the views share, handed down through
 * Svelte context ({@link setWorkbench} in the shell, {@link useWorkbench} in views).
 */
import { getContext, setContext } from 'svelte'
import { onEvent } from './api.js'
import { AnnotationManager } from './managers/annotation.svelte.js'
import { AppState } from './managers/app-state.svelte.js'
import { ConnectionManager } from './managers/connection.svelte.js'
import { EmbeddingMapManager } from './managers/embedding-map.svelte.js'
import { FolderBrowser } from './managers/folder-browser.svelte.js'
import { InterchangeManager } from './managers/interchange.svelte.js'
import { JobsManager } from './managers/jobs.svelte.js'
import { LibraryManager, throttle } from './managers/library.svelte.js'
import { PhotoGrid } from './managers/photo-grid.svelte.js'
import { PhotoViewer } from './managers/photo-viewer.svelte.js'
import { ReviewQueue } from './managers/review.svelte.js'
import { Router } from './managers/router.svelte.js'
import { ScenesManager } from './managers/scenes.svelte.js'
import { SearchManager } from './managers/search.svelte.js'
import { Selection, VocabularyList } from './managers/selection.svelte.js'
import { SettingsManager } from './managers/settings.svelte.js'
import { Toasts } from './managers/toasts.svelte.js'
import { TrainingManager } from './managers/training.svelte.js'
import { UiState } from './managers/ui.svelte.js'

/** Every shared manager. */
export interface Workbench {
  app: AppState
  settings: SettingsManager
  library: LibraryManager
  jobs: JobsManager
  grid: PhotoGrid
  viewer: PhotoViewer
  /** The open photo's labels, boxes and edits. */
  annotations: AnnotationManager
  search: SearchManager
  folders: FolderBrowser
  router: Router
  toasts: Toasts
  ui: UiState
  connection: ConnectionManager
  /** The Library grid's multi-selection (batch actions). */
  gridSelection: Selection
  review: ReviewQueue
  training: TrainingManager
  interchange: InterchangeManager
  vocabulary: VocabularyList
  /** The Scenes view's scenes and co-occurrence matrices. */
  scenes: ScenesManager
  /** The Map view's embedding map and lasso selection. */
  map: EmbeddingMapManager
}

/** Creates the managers (no request is sent until {@link startWorkbench}). */
export function createWorkbench(): Workbench {
  const toasts = new Toasts()
  const viewer = new PhotoViewer()
  return {
    app: new AppState(),
    settings: new SettingsManager(),
    library: new LibraryManager(),
    jobs: new JobsManager(),
    grid: new PhotoGrid(),
    viewer,
    annotations: new AnnotationManager({ toasts, refreshPhoto: (photoId, boxes) => viewer.showBoxes(photoId, boxes) }),
    search: new SearchManager(),
    folders: new FolderBrowser(),
    router: new Router(),
    toasts,
    ui: new UiState(),
    connection: new ConnectionManager(),
    gridSelection: new Selection(),
    review: new ReviewQueue(),
    training: new TrainingManager(),
    interchange: new InterchangeManager(),
    vocabulary: new VocabularyList(),
    scenes: new ScenesManager(),
    map: new EmbeddingMapManager(),
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
    // A photo open while it waited for analysis shows its objects as soon as it has them; its
    // annotations follow edits made elsewhere (another window, a batch, an import).
    onEvent('library.changed', (event) => {
      const d = wb.viewer.detail
      const { photoIds } = event
      if (d && d.status === 'pending' && (!photoIds || photoIds.includes(d.id))) void wb.viewer.reload()
      wb.annotations.onLibraryChanged(event)
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
