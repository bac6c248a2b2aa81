/** A bounded pool of async jobs fed while the producer is still running (the indexer's scan). */

/** A queue of work that is consumed while it is still being filled. */
export interface WorkQueue<T> {
  push(item: T): void
  /** No more items: resolves when every item is done; rejects with the first error of `fn`, if any. */
  close(): Promise<void>
}

/** Runs `fn` over items pushed to the queue, at most `limit` at once, starting with the first push. */
export function workQueue<T>(limit: number, fn: (item: T) => Promise<void>): WorkQueue<T> {
  const items: T[] = []
  let head = 0
  let closed = false
  let failure: { error: unknown } | undefined
  const waiters: (() => void)[] = []
  const worker = async (): Promise<void> => {
    for (;;) {
      if (head < items.length) {
        const item = items[head++]
        if (head === items.length) {
          items.length = 0
          head = 0
        }
        try {
          await fn(item)
        } catch (error) {
          failure ??= { error }
        }
      } else if (closed) return
      else await new Promise<void>((resolve) => waiters.push(resolve))
    }
  }
  // An item's error is kept and rethrown by close(): the other items still run, and no
  // rejection goes unhandled while the scan is still pushing.
  const running = Promise.all(Array.from({ length: Math.max(1, limit) }, worker))
  return {
    push(item) {
      items.push(item)
      waiters.shift()?.()
    },
    async close() {
      closed = true
      for (const wake of waiters.splice(0)) wake()
      await running
      if (failure) throw failure.error
    },
  }
}
