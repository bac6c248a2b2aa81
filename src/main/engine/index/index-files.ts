/**
 * On-disk layout of one vector index: `<name>.usearch` (USearch's own format) and
 * `<name>.usearch.meta.json` (what the index holds and the file's checksum). Both are replaced
 * atomically (temp file + fsync + rename) and the meta is written last, after the previous meta
 * has been removed: whatever point a crash interrupts a save at, the pair on disk is either the
 * old consistent pair, or an index without meta, or a meta whose checksum does not match, and
 * each of those is detected at open.
 */
import { createHash, randomBytes } from 'node:crypto'
import {
  closeSync, existsSync, fsyncSync, openSync, readSync, readdirSync, readFileSync, renameSync,
  rmSync, writeSync,
} from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { pidAlive } from '../io/process-info.js'

/** Storage type of the vectors inside the index. */
export type Quantization = 'f32' | 'f16' | 'i8'

/** Current layout version of the meta file. */
export const META_VERSION = 1

/** Contents of the sidecar meta file. */
export interface IndexMeta {
  format: 'constella-vector-index'
  version: number
  metric: 'cos'
  dims: number
  quantization: Quantization
  connectivity: number
  /** Vectors in the index when it was saved. */
  count: number
  /** `KeySetHash` text of the saved key set. */
  keyHash: string
  /** The source's fingerprint at save time, or null when the source has none. */
  fingerprint: string | null
  /** Size in bytes and sha256 (hex) of the index file. */
  fileBytes: number
  fileSha256: string
  savedAt: string
}

/** Path of the meta file that belongs to an index file. */
export function metaPathOf(indexFile: string): string {
  return `${indexFile}.meta.json`
}

/** A fresh temp path beside `file` (same directory, so rename is atomic). */
export function tempPathFor(file: string): string {
  return `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`
}

/** Flushes a file's data to disk. */
export function fsyncFile(file: string): void {
  const fd = openSync(file, 'r+')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** Flushes a directory entry change (rename, unlink) to disk; a no-op where unsupported. */
export function fsyncDir(dir: string): void {
  let fd: number | undefined
  try {
    fd = openSync(dir, 'r')
    fsyncSync(fd)
  } catch {
    // Windows cannot open directories; rename there is already durable enough.
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/** Size and sha256 of a file, read in 4 MiB chunks. */
export function digestFile(file: string): { bytes: number; sha256: string } {
  const hash = createHash('sha256')
  const buf = Buffer.allocUnsafe(4 << 20)
  const fd = openSync(file, 'r')
  let bytes = 0
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null)
      if (n === 0) break
      hash.update(buf.subarray(0, n))
      bytes += n
    }
  } finally {
    closeSync(fd)
  }
  return { bytes, sha256: hash.digest('hex') }
}

/** Writes `text` to `file` atomically: temp file, fsync, rename, fsync the directory. */
export function writeFileAtomic(file: string, text: string): void {
  const tmp = tempPathFor(file)
  try {
    const fd = openSync(tmp, 'w')
    try {
      writeSync(fd, text)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(tmp, file)
  } finally {
    rmSync(tmp, { force: true })
  }
  fsyncDir(dirname(file))
}

/**
 * Moves a fully written and fsynced temp index into place, then writes its meta: the old meta is
 * removed first so that no crash can leave the new index beside the old meta unnoticed.
 */
export function commitIndexFile(tmpIndex: string, indexFile: string, meta: IndexMeta): void {
  const metaFile = metaPathOf(indexFile)
  rmSync(metaFile, { force: true })
  fsyncDir(dirname(indexFile))
  renameSync(tmpIndex, indexFile)
  fsyncDir(dirname(indexFile))
  writeFileAtomic(metaFile, `${JSON.stringify(meta, null, 2)}\n`)
}

/** Reads and shape-checks a meta file; undefined when missing, an Error when unreadable. */
export function readMeta(indexFile: string): IndexMeta | Error | undefined {
  const file = metaPathOf(indexFile)
  if (!existsSync(file)) return undefined
  try {
    const m = JSON.parse(readFileSync(file, 'utf8')) as Partial<IndexMeta>
    const ok = m.format === 'constella-vector-index' && m.version === META_VERSION && m.metric === 'cos'
      && Number.isInteger(m.dims) && Number.isInteger(m.count) && Number.isInteger(m.fileBytes)
      && typeof m.keyHash === 'string' && typeof m.fileSha256 === 'string'
      && (m.quantization === 'f32' || m.quantization === 'f16' || m.quantization === 'i8')
    return ok ? (m as IndexMeta) : new Error('meta file has an unknown shape or version')
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e))
  }
}

/**
 * Deletes temp files a crashed save left beside `indexFile`; returns their names. A temp file
 * names its writer (`.tmp-<pid>-…`): one whose writer is still alive is a save in progress in
 * another process and is left alone.
 */
export function removeLeftovers(indexFile: string): string[] {
  const dir = dirname(indexFile)
  if (!existsSync(dir)) return []
  const prefixes = [`${basename(indexFile)}.tmp-`, `${basename(metaPathOf(indexFile))}.tmp-`]
  const writerGone = (name: string): boolean => {
    const pid = Number(/\.tmp-(\d+)-/.exec(name)?.[1])
    return pid === process.pid || !pidAlive(pid)
  }
  const removed = readdirSync(dir).filter((name) => prefixes.some((p) => name.startsWith(p)) && writerGone(name))
  for (const name of removed) rmSync(join(dir, name), { force: true })
  return removed
}
