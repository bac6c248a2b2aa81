/**
 * One owner per library: the process that writes a library (the app, or a CLI `index`) holds
 * `library.lock` in the library folder, a small JSON file naming it (pid, command, host, start
 * time, and the app's URL once it has one). A second writer is refused with a message naming the
 * library and the holder; a lock whose process is gone (a crash, kill -9) is taken over. Readers
 * (`constella search`) take no lock: SQLite in WAL mode lets them read while the owner writes.
 */
import { randomBytes } from 'node:crypto'
import { closeSync, linkSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pidAlive, processStartTicks } from '../io/process-info.js'

/** Name of the lock file inside the library folder. */
export const LOCK_FILE = 'library.lock'

/** What the lock file says about its holder. */
export interface LibraryLockInfo {
  pid: number
  /** What the holder runs, e.g. "constella index" or "constella serve". */
  command: string
  hostname: string
  /** ISO time the lock was taken. */
  startedAt: string
  /** True when the holder is the Constella app (desktop or browser mode). */
  app?: boolean
  /** Where the app can be reached (browser mode), once it listens. */
  url?: string
  /** Linux: the holder's start time in clock ticks, so a reused pid is not taken for the holder. */
  procStart?: number
  /** Random per acquisition, so a release never removes another holder's lock. */
  token: string
}

/** Who is taking a lock. */
export interface LockOwner {
  /** Shown to the processes that are refused; default "constella <argv[2]>" or the script name. */
  command?: string
  /** Mark the holder as the app (a refused CLI `index` then says to add the folder in the app). */
  app?: boolean
  /** The app's URL, if known already (else set it later with `setUrl`). */
  url?: string
}

/** A second writer: the library is held by another live process. */
export class LibraryInUseError extends Error {
  override readonly name = 'LibraryInUseError'
  readonly code = 'library-in-use'

  constructor(
    /** The library folder. */
    readonly dir: string,
    /** The process holding it. */
    readonly holder: LibraryLockInfo,
  ) {
    super(inUseMessage(dir, holder))
  }
}

/** The message of `LibraryInUseError`: the library, the holder, and what to do. */
export function inUseMessage(dir: string, h: LibraryLockInfo): string {
  const since = h.startedAt ? `, since ${h.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}` : ''
  const where = h.hostname === os.hostname() ? '' : ` on ${h.hostname}`
  const who = `\`${h.command}\` (pid ${h.pid}${where}${since})`
  if (h.app) {
    return `the library ${dir} is in use by the Constella app ${who}. ` +
      `The app is running: add or rescan the folder in the app${h.url ? ` (${h.url})` : ''}, or quit the app and run the command again.`
  }
  const stale = h.hostname === os.hostname() ? ''
    : ` If that process is no longer running, delete ${path.join(dir, LOCK_FILE)}.`
  return `the library ${dir} is in use by ${who}, which is writing to it. ` +
    `Wait for it to finish (or stop it), then run the command again; read-only commands such as \`constella search\` work meanwhile.${stale}`
}

/** A held lock. */
export interface LibraryLock {
  readonly dir: string
  readonly file: string
  readonly info: LibraryLockInfo
  /** Records the app's URL in the lock (shown to refused CLI commands). */
  setUrl(url: string): void
  /** Removes the lock file if it is still ours. Idempotent. */
  release(): void
}

function defaultCommand(): string {
  const script = path.basename(process.argv[1] ?? 'node')
  if (/^constella(\.m?js)?$/.test(script) && process.argv[2]) return `constella ${process.argv[2]}`
  return `${path.basename(process.argv0)} ${script}`.trim()
}

function parse(text: string): LibraryLockInfo | undefined {
  try {
    const v = JSON.parse(text) as Partial<LibraryLockInfo>
    if (typeof v.pid !== 'number' || typeof v.hostname !== 'string') return undefined
    return { command: '?', startedAt: '', token: '', ...v } as LibraryLockInfo
  } catch {
    return undefined
  }
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw e
  }
}

/**
 * Whether the holder recorded in a lock is still running. A lock of another host is presumed
 * live (its pid means nothing here); an unreadable lock (a crash mid-write) is stale.
 */
export function holderAlive(info: LibraryLockInfo | undefined): boolean {
  if (!info) return false
  if (info.hostname !== os.hostname()) return true
  if (!pidAlive(info.pid)) return false
  if (info.procStart === undefined) return true
  const now = processStartTicks(info.pid)
  return now === undefined || now === info.procStart
}

/** The live holder of the library in `dir`, if any (without taking the lock). */
export function readLibraryLock(dir: string): LibraryLockInfo | undefined {
  const text = readText(path.join(dir, LOCK_FILE))
  const info = text === undefined ? undefined : parse(text)
  return holderAlive(info) ? info : undefined
}

/** Writes a complete lock file beside `file` and links it into place; false if one exists. */
function tryCreate(file: string, info: LibraryLockInfo): boolean {
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`
  const fd = openSync(tmp, 'wx')
  try {
    writeSync(fd, `${JSON.stringify(info, null, 2)}\n`)
  } finally {
    closeSync(fd)
  }
  try {
    linkSync(tmp, file) // atomic, fails if a lock exists: never a half-written lock file
    return true
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'EEXIST') return false
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS' || code === 'EOPNOTSUPP') return createExclusive(file, info)
    throw e
  } finally {
    rmSync(tmp, { force: true })
  }
}

/** Where hard links are not supported (FAT, some network shares): exclusive create, then write. */
function createExclusive(file: string, info: LibraryLockInfo): boolean {
  let fd: number
  try {
    fd = openSync(file, 'wx')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw e
  }
  try {
    writeSync(fd, `${JSON.stringify(info, null, 2)}\n`)
  } finally {
    closeSync(fd)
  }
  return true
}

/**
 * Moves a stale lock (whose text is `stale`) out of the way. If another process replaced it
 * meanwhile with a live lock, that lock is put back and false is returned.
 */
function removeStale(file: string, stale: string): boolean {
  const aside = `${file}.stale-${process.pid}-${randomBytes(4).toString('hex')}`
  try {
    renameSync(file, aside)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return true
    throw e
  }
  const moved = readText(aside)
  if (moved !== stale && holderAlive(moved === undefined ? undefined : parse(moved))) {
    try {
      linkSync(aside, file)
    } catch {
      // a third process took the lock meanwhile; the next attempt reads it
    }
    rmSync(aside, { force: true })
    return false
  }
  rmSync(aside, { force: true })
  return true
}

/**
 * Takes the lock of the library folder `dir` (which must exist), taking over a stale one.
 * @throws LibraryInUseError when another live process holds it.
 */
export function acquireLibraryLock(dir: string, owner: LockOwner = {}): LibraryLock {
  const file = path.join(dir, LOCK_FILE)
  const info: LibraryLockInfo = {
    pid: process.pid,
    command: owner.command ?? defaultCommand(),
    hostname: os.hostname(),
    startedAt: new Date().toISOString(),
    ...(owner.app ? { app: true } : {}),
    ...(owner.url ? { url: owner.url } : {}),
    ...(processStartTicks(process.pid) !== undefined ? { procStart: processStartTicks(process.pid) } : {}),
    token: randomBytes(8).toString('hex'),
  }
  for (let attempt = 0; attempt < 20; attempt++) {
    if (tryCreate(file, info)) return heldLock(dir, file, info)
    const text = readText(file)
    if (text === undefined) continue // released meanwhile
    const holder = parse(text)
    if (holder && holderAlive(holder)) {
      if (holder.pid === process.pid && holder.hostname === info.hostname) {
        throw new Error(`the library ${dir} is already open for writing in this process`)
      }
      throw new LibraryInUseError(dir, holder)
    }
    removeStale(file, text)
  }
  throw new Error(`could not take the lock ${file}: other processes keep taking it`)
}

function heldLock(dir: string, file: string, info: LibraryLockInfo): LibraryLock {
  let released = false
  const ours = (): boolean => parse(readText(file) ?? '')?.token === info.token
  const onExit = (): void => lock.release()
  const lock: LibraryLock = {
    dir,
    file,
    get info() {
      return info
    },
    setUrl(url: string) {
      if (released || !ours()) return
      info.url = url
      const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`
      writeFileSync(tmp, `${JSON.stringify(info, null, 2)}\n`)
      renameSync(tmp, file)
    },
    release() {
      if (released) return
      released = true
      process.off('exit', onExit)
      if (ours()) rmSync(file, { force: true })
    },
  }
  process.on('exit', onExit)
  return lock
}

/**
 * Records the app's URL in the lock of a library it holds (`lib.lock`), so that a refused CLI
 * command can point the user to it. A no-op for a library opened read-only.
 */
export function setLibraryUrl(owner: { lock?: LibraryLock }, url: string): void {
  owner.lock?.setUrl(url)
}
