/**
 * Grid thumbnails drawn into canvases: fetched, decoded off the main thread (createImageBitmap),
 * drawn cropped to cover the canvas, and the decoded bitmap released at once (`close`).
 *
 * Why not an <img> per tile: the decoded image of an <img> is only released by Blink's garbage
 * collector, in the atomic pause of a full collection, at about 0.1 ms per 320 px thumbnail on
 * this project's 2-core test machine: scrolling a large grid past a few hundred thumbnails made
 * that pause 60-90 ms, the longest task while scrolling (bench/ui). Through a bitmap that is
 * closed, the same 800 thumbnails left a 0.4 ms pause. (The grid keeps its tiles, and their
 * canvases, for its whole life: dead canvases are costly to collect too.)
 *
 * A fetch costs the main thread about a millisecond, so requests start in slices of at most
 * SLICE_MS: at the end of the task that asked for them when nothing is downloading (the first
 * screen, a jump), else in short tasks of their own; the newest batch first (the tiles the user
 * scrolled or jumped to last), in grid order within it, at most MAX_DOWNLOADS at once; decoding
 * and drawing overlap the next downloads. A tile that moves on before its turn never asks for
 * its thumbnail. (A worker doing the fetching and decoding was tried: on 2 cores it took the
 * main thread's core often enough to make scrolling worse.)
 */

/** Enough to keep the browser's 6 connections per host busy, few enough that the newest tiles come first. */
const MAX_DOWNLOADS = 18
/** Main-thread time one task spends starting requests. */
const SLICE_MS = 4

interface Job {
  canvas: HTMLCanvasElement
  url: string
  batch: number
  order: number
  signal: AbortSignal
  resolve: () => void
  reject: (err: unknown) => void
}

const queue: Job[] = []
let downloads = 0
let scheduled = false
/** Asks made in one task form a batch (a scroll or a jump). */
let batch = 0
let batchOpen = false

function currentBatch(): number {
  if (!batchOpen) {
    batchOpen = true
    batch++
    setTimeout(() => (batchOpen = false), 0)
  }
  return batch
}

function schedule(): void {
  if (scheduled || queue.length === 0 || downloads >= MAX_DOWNLOADS) return
  scheduled = true
  // Nothing downloading (the first screen, or a jump after the grid settled): the first slice
  // starts at the end of this task, so the requests are on their way while the new tiles are
  // laid out and painted. Otherwise in a task of its own, after the frame.
  if (downloads === 0) queueMicrotask(pump)
  else setTimeout(pump, 0)
}

/** The first in grid order of the newest batch (batches arrive in order: the newest is the queue's tail). */
function next(): Job {
  const newest = queue[queue.length - 1].batch
  let best = queue.length - 1
  for (let i = queue.length - 2; i >= 0 && queue[i].batch === newest; i--) if (queue[i].order < queue[best].order) best = i
  return queue.splice(best, 1)[0]
}

function pump(): void {
  scheduled = false
  const began = performance.now()
  while (queue.length > 0 && downloads < MAX_DOWNLOADS && performance.now() - began < SLICE_MS) {
    const job = next()
    if (!job.signal.aborted) start(job)
  }
  schedule()
}

function start(job: Job): void {
  downloads++
  let downloading = true
  const downloaded = (): void => {
    if (!downloading) return
    downloading = false
    downloads--
    schedule()
  }
  draw(job, downloaded).then(job.resolve, job.reject).finally(downloaded)
}

/** Fetches, decodes and draws one thumbnail, cropped to cover the canvas; `downloaded` once its bytes are in. */
async function draw({ canvas, url, signal }: Job, downloaded: () => void): Promise<void> {
  const response = await fetch(url, { signal })
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`)
  const blob = await response.blob()
  downloaded()
  const bitmap = await createImageBitmap(blob)
  try {
    if (signal.aborted) return
    const context = canvas.getContext('2d')
    if (!context) throw new Error('no 2D canvas context')
    const scale = Math.max(canvas.width / bitmap.width, canvas.height / bitmap.height)
    const sw = canvas.width / scale
    const sh = canvas.height / scale
    context.imageSmoothingQuality = 'high'
    context.drawImage(bitmap, (bitmap.width - sw) / 2, (bitmap.height - sh) / 2, sw, sh, 0, 0, canvas.width, canvas.height)
  } finally {
    bitmap.close()
  }
}

/**
 * Draws the thumbnail at `url` into `canvas`, cropped to cover it; `order` is the tile's place in
 * the grid (of the thumbnails asked for together, the first places come first). Resolves when
 * drawn, and also when `signal` aborts first (nothing is drawn then); rejects on an HTTP error or
 * an image that cannot be decoded.
 */
export function drawThumbnail(canvas: HTMLCanvasElement, url: string, order: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    queue.push({ canvas, url, batch: currentBatch(), order, signal, resolve, reject })
    signal.addEventListener('abort', () => resolve(), { once: true })
    schedule()
  })
}
