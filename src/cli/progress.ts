/**
 * A live progress bar on stderr: done/total, items/s and ETA. On a terminal it redraws one line;
 * otherwise (CI, pipes) it prints a line at most every few seconds.
 */
import { duration } from './format.js'

/** Progress of a long run. */
export class ProgressBar {
  private readonly started = Date.now()
  private lastPrint = 0
  private done = 0
  private readonly tty = Boolean(process.stderr.isTTY)

  constructor(
    private total: number,
    private readonly unit = 'photos',
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  /** Changes the total (e.g. when the walk finds more files). */
  setTotal(total: number): void {
    this.total = total
  }

  /** Marks `n` more items done and redraws when due. */
  tick(n = 1, note = ''): void {
    this.done += n
    const now = Date.now()
    if (now - this.lastPrint < (this.tty ? 100 : 5000) && this.done < this.total) return
    this.lastPrint = now
    this.stream.write(this.render(note) + (this.tty ? '\r' : '\n'))
  }

  /** Items per second so far. */
  rate(): number {
    return this.done / Math.max((Date.now() - this.started) / 1000, 1e-3)
  }

  /** The current line. */
  render(note = ''): string {
    const width = 28
    const frac = this.total > 0 ? Math.min(this.done / this.total, 1) : 0
    const filled = Math.round(frac * width)
    const rate = this.rate()
    const eta = rate > 0 ? (this.total - this.done) / rate : Infinity
    return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${this.done}/${this.total} ${this.unit}  ${rate.toFixed(1)}/s  ETA ${duration(eta)}${note ? '  ' + note : ''}`.slice(0, 160)
  }

  /** Ends the bar (moves to a new line on a terminal). */
  finish(): void {
    if (this.tty) this.stream.write(this.render() + '\n')
  }
}
