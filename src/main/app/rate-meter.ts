/** Throughput of a job: items per second over a sliding window, and the time left at that rate. */

/** Counts completions and reports a recent rate. */
export class RateMeter {
  private readonly times: number[] = []

  constructor(
    private readonly startedAt: number,
    /** Length of the sliding window. */
    private readonly windowMs = 10_000,
  ) {}

  /** Records one completion at `at`. */
  record(at: number): void {
    this.times.push(at)
    const from = at - this.windowMs
    while (this.times.length > 0 && this.times[0] < from) this.times.shift()
  }

  /** Completions per second over the window (or since the start, if shorter); null before the first. */
  rate(now: number): number | null {
    const from = now - this.windowMs
    const recent = this.times.filter((t) => t >= from).length
    if (this.times.length === 0) return null
    const span = Math.max(Math.min(this.windowMs, now - this.startedAt), 250)
    return (recent * 1000) / span
  }

  /** Seconds left for `remaining` items at the current rate, null when unknown. */
  eta(remaining: number | null, now: number): number | null {
    const rate = this.rate(now)
    if (remaining === null || rate === null || rate <= 0) return null
    return Math.max(0, Math.round(remaining / rate))
  }
}
