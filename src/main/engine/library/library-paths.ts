/** Where a library keeps its files: the SQLite store, the vector indexes and the thumbnails. */
import os from 'node:os'
import path from 'node:path'

/** The files of the library in `dir`. */
export interface LibraryPaths {
  dir: string
  database: string
  indexDir: string
  thumbsDir: string
}

/** The default library folder: $CONSTELLA_LIBRARY, else the platform's per-user data folder. */
export function defaultLibraryDir(): string {
  if (process.env.CONSTELLA_LIBRARY) return path.resolve(process.env.CONSTELLA_LIBRARY)
  const home = os.homedir()
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Constella')
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Constella')
  return path.join(process.env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'constella')
}

/** Paths inside a library folder. */
export function libraryPaths(dir = defaultLibraryDir()): LibraryPaths {
  return { dir, database: path.join(dir, 'library.db'), indexDir: path.join(dir, 'index'), thumbsDir: path.join(dir, 'thumbs') }
}
