/**
 * A Chrome trace of the page's main thread, for the task lengths a PerformanceObserver cannot
 * tell apart: each task's wall time and the CPU time its thread actually got. On a busy shared
 * machine a 1 s "long task" may hold 60 ms of work; the CPU time is the app's own share.
 */
import type { BrowserContext, Page } from 'playwright-core'

/** Main-thread tasks of a traced span. */
export interface TracedTasks {
  count: number
  /** Longest tasks by wall time, with their thread CPU time (ms). */
  longest: { wall: number; cpu: number }[]
  /** Tasks over 50 ms of wall time, and over 50 ms of thread CPU time. */
  wallOver50: number
  cpuOver50: number
  longestCpu: number
  /** Tasks with the most thread CPU time (wall, cpu ms). */
  topCpu: { wall: number; cpu: number }[]
  /** Main-thread CPU ms by activity (script, style+layout, paint, GC; approximate: outermost events by name). */
  byKind: Record<string, number>
}

interface TraceEvent {
  name: string
  ph: string
  pid: number
  tid: number
  dur?: number
  tdur?: number
  args?: { name?: string }
}

const KINDS: Record<string, string> = {
  // outermost script events only (event handlers, timers and rAF callbacks run as FunctionCall inside theirs)
  FunctionCall: 'script', BlinkScheduler_PerformMicrotaskCheckpoint: 'script',
  UpdateLayoutTree: 'style+layout', Layout: 'style+layout', Paint: 'paint+commit', Commit: 'paint+commit',
  PrePaint: 'paint+commit', Layerize: 'paint+commit', MinorGC: 'gc', MajorGC: 'gc',
}

/** Starts tracing `page`; `stop()` ends it and sums the main thread's tasks. */
export async function traceMainThread(context: BrowserContext, page: Page): Promise<{ stop(): Promise<TracedTasks> }> {
  const cdp = await context.newCDPSession(page)
  const events: TraceEvent[] = []
  cdp.on('Tracing.dataCollected', (e: { value: object[] }) => events.push(...(e.value as TraceEvent[])))
  await cdp.send('Tracing.start', { categories: 'toplevel,devtools.timeline,v8', transferMode: 'ReportEvents' })
  return {
    async stop() {
      const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()))
      await cdp.send('Tracing.end')
      await complete
      await cdp.detach()
      // the page's renderer main thread: the CrRendererMain that ran the most script
      const mains = events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      const calls = (m: TraceEvent): number => events.filter((e) => e.pid === m.pid && e.tid === m.tid && e.name === 'FunctionCall').length
      const main = mains.sort((a, b) => calls(b) - calls(a))[0]
      const mine = events.filter((e) => main && e.pid === main.pid && e.tid === main.tid && e.ph === 'X')
      const tasks = mine.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask').map((e) => ({ wall: (e.dur ?? 0) / 1000, cpu: (e.tdur ?? 0) / 1000 }))
      const byKind: Record<string, number> = {}
      for (const e of mine) {
        const kind = KINDS[e.name]
        if (kind) byKind[kind] = (byKind[kind] ?? 0) + (e.tdur ?? 0) / 1000
      }
      return {
        count: tasks.length,
        longest: [...tasks].sort((a, b) => b.wall - a.wall).slice(0, 5),
        wallOver50: tasks.filter((t) => t.wall > 50).length,
        cpuOver50: tasks.filter((t) => t.cpu > 50).length,
        longestCpu: Math.max(0, ...tasks.map((t) => t.cpu)),
        topCpu: [...tasks].sort((a, b) => b.cpu - a.cpu).slice(0, 5),
        byKind,
      }
    },
  }
}
