/**
 * The app engine: what the composition roots (Electron main, `constella serve`) create. It opens
 * the library as its one owner (the library lock names the app, and the URL it serves once known),
 * owns the inference engine and the jobs, and exposes everything as the API's services.
 */
import type { AppInfo, LibraryStatus } from '../../shared/api-contract.js'
import { ApiError } from '../../shared/envelope.js'
import { Library } from '../engine/library/library.js'
import { libraryPaths } from '../engine/library/library-paths.js'
import { defaultPackDir } from '../engine/models/pack.js'
import { activeHeadPackDir } from '../engine/training/head-versions.js'
import type { ProviderSetting } from '../engine/models/sessions.js'
import { packModels, type ApiServices } from '../api/services.js'
import { version as packageVersion } from '../../../package.json'
import { AnnotationApp } from './annotation-app.js'
import { EventBus } from './event-bus.js'
import { InterchangeApp } from './interchange-app.js'
import { TrainingApp } from './training-app.js'
import { MapService } from './map-service.js'
import { SceneService } from './scene-service.js'
import { FolderService } from './folder-service.js'
import { browseFolders } from './fs-browse.js'
import { JobManager } from './job-manager.js'
import { MediaService } from './media-service.js'
import { PhotoService } from './photo-service.js'
import { ProviderProbe } from './provider-info.js'
import { SearchService } from './search-service.js'
import { SettingsService } from './settings-service.js'

/** How long `app.info` waits for the provider report on the first call. */
const PROVIDER_WAIT_MS = 1500

/** Options of {@link createAppEngine}. */
export interface AppEngineOptions {
  /** The library folder; default $CONSTELLA_LIBRARY, else the per-user data folder. */
  libraryDir?: string
  /** The model pack folder; default $CONSTELLA_MODELS, else resources/models. */
  packDir?: string
  /** Execution provider setting; default $CONSTELLA_PROVIDER, else auto. */
  provider?: ProviderSetting
  /** 'electron': the desktop window; 'browser': `constella serve`. */
  mode: 'electron' | 'browser'
  /** The native folder dialog (Electron); without it `folders.pick` fails with 'unsupported'. */
  pickFolder?: () => Promise<string | null>
  /** App version; default package.json's. */
  version?: string
  /** Run the jobs left queued or interrupted by the last stop (default true). */
  resumeJobs?: boolean
}

/** A running app engine. */
export interface AppEngine {
  services: ApiServices
  /** The open library (its folder is `library.paths.dir`). */
  library: Library
  /** Records the URL the app serves in the library lock (refused CLI commands point users to it). */
  setServedUrl(url: string): void
  /** Cancels the running job (it resumes at the next start), closes the library, stops inference. Idempotent. */
  dispose(): Promise<void>
}

/**
 * Opens the library as its owner and builds the services.
 * @throws LibraryInUseError when another process writes the library (its message names it).
 */
export async function createAppEngine(options: AppEngineOptions): Promise<AppEngine> {
  const packDir = options.packDir ?? defaultPackDir()
  const activePackDir = headPackDir(libraryPaths(options.libraryDir).dir, packDir)
  const lib = await Library.open({
    dir: options.libraryDir,
    packDir: activePackDir,
    provider: options.provider,
    owner: { command: options.mode === 'electron' ? 'constella (desktop app)' : 'constella serve', app: true },
  })
  try {
    return build(lib, packDir, activePackDir, options)
  } catch (err) {
    await lib.close()
    throw err
  }
}

/** The pack of the library's active head (an activated head survives a restart); the base pack if it cannot be had. */
function headPackDir(libDir: string, basePackDir: string): string {
  try {
    return activeHeadPackDir(libDir, basePackDir)
  } catch (err) {
    console.error(`[heads] the library's active head cannot be used, opening it on the pack's head: ${(err as Error).message}`)
    return basePackDir
  }
}

/** The services over an open library (which it owns from here on). */
function build(lib: Library, packDir: string, activePackDir: string, options: AppEngineOptions): AppEngine {
  const events = new EventBus()
  const jobs = new JobManager(lib, events)
  const folders = new FolderService(lib, jobs, events)
  const photos = new PhotoService(lib, (file) => folders.folderOf(file), (classId) => annotation.service.vocabulary.name(classId))
  const search = new SearchService(lib)
  const settings = new SettingsService(lib, events)
  const media = new MediaService(lib, (file) => folders.folderOf(file))
  const probe = new ProviderProbe(lib.engine, lib.parts.detector.modelName)
  const annotation = new AnnotationApp(lib, events, packDir)
  const interchange = new InterchangeApp(lib, jobs, annotation)
  const training = new TrainingApp(lib, jobs, events, { basePackDir: packDir, activePackDir, provider: options.provider })
  const scenes = new SceneService(lib, jobs, events, settings)
  const map = new MapService(lib, jobs, events)
  folders.adoptIndexedRoots()
  if (options.resumeJobs !== false) jobs.resume()
  else jobs.endInterruptedTasks()

  const info = async (): Promise<AppInfo> => {
    const provider = await probe.get(PROVIDER_WAIT_MS)
    return {
      version: options.version ?? packageVersion, platform: process.platform, mode: options.mode, packDir, libraryDir: lib.paths.dir,
      classNames: [...lib.head.header.classNames], ...(provider ? { provider } : {}),
    }
  }
  const status = (): LibraryStatus => {
    const { photos: c, objects } = folders.totals() // cached until the library changes
    return {
      dir: lib.paths.dir, folders: folders.list(),
      photos: { total: c.total, indexed: c.indexed, pending: c.pending, failed: c.failed },
      objects, activeJob: jobs.active(),
    }
  }
  const services: ApiServices = {
    app: { info },
    models: { packDir, check: () => packModels(packDir) },
    library: { status },
    folders: {
      add: (path) => folders.add(path),
      remove: (path) => folders.remove(path),
      rescan: (path) => folders.rescan(path),
      pick: async () => {
        if (!options.pickFolder) throw new ApiError('unsupported', 'there is no folder dialog in browser mode: type the folder, or browse to it')
        return options.pickFolder()
      },
    },
    fs: { browse: browseFolders },
    photos: {
      list: (r) => photos.list(r), count: (f) => photos.count(f), get: (id) => photos.get(id),
      graph: (id) => photos.graph(id), neighbours: (r) => photos.neighbours(r),
    },
    search: { upload: (name, data) => search.upload(name, data), run: (r) => search.run(r) },
    jobs: { list: () => jobs.list(), cancel: (id) => jobs.cancel(id), problems: (id, limit) => jobs.problems(id, limit) },
    settings: { get: () => settings.get(), set: (patch) => settings.set(patch) },
    annotation: {
      get: (id) => annotation.get(id), setLabel: (r) => annotation.setLabel(r), addLabel: (r) => annotation.addLabel(r),
      batch: (r) => annotation.batch(r), addBox: (r) => annotation.addBox(r), updateBox: (r) => annotation.updateBox(r),
      deleteBox: (r) => annotation.deleteBox(r), review: (r) => annotation.review(r), undo: () => annotation.undo(),
      redo: () => annotation.redo(), state: () => annotation.state(), history: (r) => annotation.history(r),
      queue: (r) => annotation.queue(r), vocabulary: () => annotation.vocabulary(), check: (name) => annotation.check(name),
    },
    interchange: { import: (r) => interchange.import(r), export: (r) => interchange.export(r) },
    training: {
      start: (r) => training.start(r), heads: () => training.list(), activate: (id) => training.heads.activate(id), rollback: () => training.heads.rollback(),
    },
    scenes: {
      get: () => scenes.get(), compute: (k) => scenes.compute(k), matrix: (r) => scenes.matrix(r),
      map: (classId) => map.get(classId), computeMap: () => map.compute(),
    },
    events: { subscribe: (listener) => events.subscribe(listener) },
    media: { resolve: (kind, id) => media.resolve(kind, id) },
  }

  let disposing: Promise<void> | undefined
  return {
    services,
    library: lib,
    setServedUrl: (url) => lib.lock?.setUrl(url),
    dispose: () => (disposing ??= (async () => {
      folders.dispose()
      await jobs.dispose()
      await training.heads.dispose()
      await lib.close() // a provider probe still loading is rejected by the engine's disposal (and reported as such)
    })()),
  }
}
