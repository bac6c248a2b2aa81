/**
 * Scrolling the grid end to end while the page records long tasks and frame times: (1) mouse
 * wheel input at a brisk reading pace from the top, (2) a sweep over the whole height in small
 * steps (like dragging the scrollbar thumb from top to bottom), (3) scrollbar jumps to the
 * middle, the end, a quarter and back to the top, each until every tile on screen shows its
 * thumbnail.
 */
import type { BrowserContext, Page } from 'playwright-core'
import { quantile } from './bench-report.js'
import { traceMainThread, type TracedTasks } from './ui-trace.js'
import { tileCensus, waitVisibleLoaded, type BenchState, type TileCensus } from './ui-page.js'

/** Pace of the scroll phases. */
export interface ScrollPlan {
  /** Seconds of wheel scrolling. */
  wheelSeconds: number
  /** Pixels per wheel event and ms between events. */
  wheelDelta: number
  wheelEveryMs: number
  /** Seconds for the top-to-bottom sweep, in steps every `sweepEveryMs`. */
  sweepSeconds: number
  sweepEveryMs: number
}

/** Long tasks and frames of one phase. */
export interface PhaseFigures {
  phase: string
  seconds: number
  longest: number
  over50: number
  frameP95: number
  frameMax: number
  frames: number
}

/** Everything the scroll measured. */
export interface ScrollFigures {
  phases: PhaseFigures[]
  all: PhaseFigures
  /** Per jump target: ms until every tile on screen had its thumbnail (null: not within the timeout). */
  jumps: { target: string; settleMs: number | null }[]
  /** Tiles right after the sweep reached the bottom, and after the last jump settled. */
  afterSweep: TileCensus
  atEnd: TileCensus
  gridHeight: number
  /** The same span from a Chrome trace: wall and CPU time of each main-thread task. */
  traced: TracedTasks
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
const now = (page: Page): Promise<number> => page.evaluate(() => performance.now())

/** Long tasks and frame times between two page times. */
async function figures(page: Page, phase: string, from: number, to: number): Promise<PhaseFigures> {
  const b = await page.evaluate(() => (window as unknown as { __bench: BenchState }).__bench)
  const tasks = b.longtasks.filter((t) => t.start >= from && t.start < to).map((t) => t.duration)
  const ts = b.frames.filter((t) => t >= from && t <= to)
  const deltas = ts.slice(1).map((t, i) => t - ts[i])
  return {
    phase, seconds: (to - from) / 1000, longest: tasks.length ? Math.max(...tasks) : 0,
    over50: tasks.filter((d) => d > 50).length, frameP95: quantile(deltas, 0.95),
    frameMax: deltas.length ? Math.max(...deltas) : Number.NaN, frames: ts.length,
  }
}

/** Sets the grid's scrollTop to `fraction` of its scroll range (in the page). */
function scrollTo(page: Page, fraction: number): Promise<void> {
  return page.evaluate((f) => {
    const g = document.querySelector('[data-testid="photo-grid"]')!
    g.scrollTop = f * (g.scrollHeight - g.clientHeight)
  }, fraction)
}

/** Runs the three phases on the open grid. */
export async function scrollGrid(context: BrowserContext, page: Page, plan: ScrollPlan): Promise<ScrollFigures> {
  const grid = page.getByTestId('photo-grid')
  const box = (await grid.boundingBox())!
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  await scrollTo(page, 0)
  await page.evaluate(() => { (window as unknown as { __bench: BenchState }).__bench.recording = true })
  const phases: PhaseFigures[] = []
  const trace = await traceMainThread(context, page)

  const w0 = await now(page)
  const wheelEnd = Date.now() + plan.wheelSeconds * 1000
  while (Date.now() < wheelEnd) {
    await page.mouse.wheel(0, plan.wheelDelta)
    await sleep(plan.wheelEveryMs)
  }
  phases.push(await figures(page, `wheel ${plan.wheelDelta} px / ${plan.wheelEveryMs} ms`, w0, await now(page)))

  const s0 = await now(page)
  const steps = Math.max(1, Math.round((plan.sweepSeconds * 1000) / plan.sweepEveryMs))
  await page.evaluate(({ steps, every }) => new Promise<void>((resolve) => {
    const g = document.querySelector('[data-testid="photo-grid"]')!
    let i = 0
    const timer = setInterval(() => {
      g.scrollTop = (++i / steps) * (g.scrollHeight - g.clientHeight)
      if (i >= steps) {
        clearInterval(timer)
        resolve()
      }
    }, every)
  }), { steps, every: plan.sweepEveryMs })
  const s1 = await now(page)
  const afterSweep = await tileCensus(page)
  const gridHeight = afterSweep.scrollHeight
  phases.push(await figures(page, `sweep top to bottom, ${steps} steps of ${(gridHeight / steps).toFixed(0)} px`, s0, s1))

  const j0 = await now(page)
  const jumps: ScrollFigures['jumps'] = []
  for (const [target, f] of [['middle', 0.5], ['end', 1], ['quarter', 0.25], ['top', 0]] as const) {
    await scrollTo(page, f)
    jumps.push({ target, settleMs: await waitVisibleLoaded(page) })
  }
  const j1 = await now(page)
  phases.push(await figures(page, 'scrollbar jumps (until thumbnails shown)', j0, j1))
  await page.evaluate(() => { (window as unknown as { __bench: BenchState }).__bench.recording = false })
  const traced = await trace.stop()
  const all = await figures(page, 'all scrolling', w0, j1)
  return { phases, all, jumps, afterSweep, atEnd: await tileCensus(page), gridHeight, traced }
}
