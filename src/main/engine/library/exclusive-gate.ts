/**
 * A shared/exclusive gate for async work: any number of `shared` tasks run together, an
 * `exclusive` task runs alone. Waiting exclusive tasks go first, so they are never starved.
 */
export class ExclusiveGate {
  private sharedRunning = 0
  private exclusiveRunning = false
  private readonly waiting: { exclusive: boolean; start: () => void }[] = []

  /** Runs `fn` alongside other shared tasks (waits while an exclusive one runs or waits). */
  shared<T>(fn: () => Promise<T>): Promise<T> {
    return this.run(false, fn)
  }

  /** Runs `fn` with nothing else running. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.run(true, fn)
  }

  private async run<T>(exclusive: boolean, fn: () => Promise<T>): Promise<T> {
    if (!this.canStart(exclusive)) await new Promise<void>((start) => this.waiting.push({ exclusive, start }))
    else this.enter(exclusive)
    try {
      return await fn()
    } finally {
      if (exclusive) this.exclusiveRunning = false
      else this.sharedRunning--
      this.wake()
    }
  }

  private canStart(exclusive: boolean): boolean {
    if (this.exclusiveRunning || this.waiting.some((w) => w.exclusive)) return false
    return !exclusive || this.sharedRunning === 0
  }

  private enter(exclusive: boolean): void {
    if (exclusive) this.exclusiveRunning = true
    else this.sharedRunning++
  }

  /** Starts the next exclusive waiter if nothing runs, else (with no exclusive waiter) every shared one. */
  private wake(): void {
    if (this.exclusiveRunning) return
    const next = this.waiting.findIndex((w) => w.exclusive)
    if (next >= 0) {
      if (this.sharedRunning > 0) return
      const [w] = this.waiting.splice(next, 1)
      this.enter(true)
      w.start()
      return
    }
    for (const w of this.waiting.splice(0)) {
      this.enter(false)
      w.start()
    }
  }
}
