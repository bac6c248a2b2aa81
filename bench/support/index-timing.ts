/**
 * Timing helpers for the indexing benchmark: a clock that sums the time spent in named phases,
 * a bounded pool (the indexer's overlap of photos), and an inference engine that times its
 * requests so the end-to-end pass can be split into engine time and everything else.
 */
import type { RunOptions, TensorMap } from '../../src/main/engine/inference-types.js'
import { InferenceEngine } from '../../src/main/engine/worker/inference-client.js'

/** Sums of wall time per named phase (overlapping phases each count in full). */
export interface PhaseClock {
  /** Runs `fn`, adding its wall time to `phase`. */
  time<T>(phase: string, fn: () => Promise<T> | T): Promise<T>
  /** Milliseconds summed per phase, and how many calls. */
  totals(): Map<string, { ms: number; calls: number }>
  /** "decode 25.1 ms/call, detect 240.3 ms/call". */
  describe(): string
}

/** A new, empty phase clock. */
export function phaseClock(): PhaseClock {
  const totals = new Map<string, { ms: number; calls: number }>()
  return {
    async time(phase, fn) {
      const t0 = performance.now()
      try {
        return await fn()
      } finally {
        const t = totals.get(phase) ?? { ms: 0, calls: 0 }
        t.ms += performance.now() - t0
        t.calls++
        totals.set(phase, t)
      }
    },
    totals: () => totals,
    describe: () => [...totals].map(([k, t]) => `${k} ${(t.ms / Math.max(t.calls, 1)).toFixed(1)} ms/call`).join(', '),
  }
}

/** Runs `fn` over `items` with at most `limit` in flight (as the indexer does). */
export async function pooled<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) await fn(items[next++])
  }))
}

/**
 * An inference engine that also measures its requests: total request time per model and the
 * time at least one request was in flight (the engine's busy time as the caller sees it).
 */
export class TimedEngine extends InferenceEngine {
  /** Wall milliseconds with at least one request in flight. */
  busyMs = 0
  /** Requests made. */
  requests = 0
  private inFlight = 0
  private since = 0

  override async run(model: string, inputs: TensorMap, outputs?: string[], options?: RunOptions): Promise<TensorMap> {
    if (this.inFlight++ === 0) this.since = performance.now()
    this.requests++
    try {
      return await super.run(model, inputs, outputs, options)
    } finally {
      if (--this.inFlight === 0) this.busyMs += performance.now() - this.since
    }
  }

  /** Clears the counters (between passes). */
  resetCounters(): void {
    this.busyMs = 0
    this.requests = 0
  }
}
