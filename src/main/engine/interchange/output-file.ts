/**
 * An export file written incrementally: text goes to `<file>.partial-<pid>` through a stream that
 * is waited on when its buffer is full (so memory stays flat whatever the size), and the file
 * takes its name only when complete — an interrupted export never leaves a half file under it.
 */
import { createWriteStream, mkdirSync, renameSync, rmSync, type WriteStream } from 'node:fs'
import path from 'node:path'

/** A file being written. */
export class OutputFile {
  private readonly stream: WriteStream
  private failure: Error | undefined
  readonly partial: string

  constructor(readonly file: string) {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
    this.partial = `${file}.partial-${process.pid}`
    this.stream = createWriteStream(this.partial)
    this.stream.on('error', (e) => (this.failure = e))
  }

  /** Appends text; resolves when the stream can take more. */
  async write(text: string): Promise<void> {
    if (this.failure) throw this.failure
    if (!this.stream.write(text)) {
      await new Promise<void>((resolve, reject) => {
        const onError = (e: Error) => reject(e)
        this.stream.once('error', onError)
        this.stream.once('drain', () => {
          this.stream.off('error', onError)
          resolve()
        })
      })
    }
  }

  /** Flushes, closes and renames the file into place. */
  async commit(): Promise<void> {
    await this.close()
    if (this.failure) throw this.failure
    renameSync(this.partial, this.file)
  }

  /** Closes and removes the partial file. */
  async abort(): Promise<void> {
    await this.close().catch(() => undefined)
    rmSync(this.partial, { force: true })
  }

  private close(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.stream.closed) return resolve()
      this.stream.end((err?: Error | null) => (err ? reject(err) : resolve()))
    })
  }
}
