/**
 * Grid thumbnails drawn into canvases: fetched, decoded off the main thread (createImageBitmap),
 * drawn cropped to cover the canvas, and the decoded bitmap released at once (`close`).
 *
 * Why not an <img> per tile: the decoded image of an <img> is only released by Blink's garbage
 * collector, in the atomic pause of a full collection, at about 0.1 ms per 320 px thumbnail on
 * this project's 2-core test machine. Scrolling a large grid past a few hundred thumbnails made
 * that pause 60-90 ms, the longest task while scrolling (bench/ui). Through a bitmap that is
 * closed, the same 800 thumbnails left a 0.4 ms pause.
 *
 * A fetch costs the main thread about a millisecond, so requests are not started inside the
 * scroll event that brought their tiles in: they queue, newest first, and start a few at a time in
 * short tasks of their own, at most MAX_IN_FLIGHT at once. A tile that scrolls away before its turn
 * never asks for its thumbnail.
 */

/** Requests on their way at most (HTTP/1.1 allows 6 connections per host). */
const MAX_IN_FLIGHT = 6
/** Main-thread time one task spends starting requests. */
const SLICE_MS = 4

interface Job {
  canvas: HTMLCanvasElement
  url: string
  signal: AbortSignal
  resolve: () => void
  reject: (err: unknown) => void
}

const queue: Job[] = []
let inFlight = 0
let scheduled = false

function schedule(): void {
  if (scheduled || queue.length === 0 || inFlight >= MAX_IN_FLIGHT) return
  scheduled = true
  setTimeout(pump, 0)
}

function pump(): void {
  scheduled = false
  const start = performance.now()
  while (queue.length > 0 && inFlight < MAX_IN_FLIGHT && performance.now() - start < SLICE_MS) {
    const job = queue.pop()! // newest first: the tiles the user scrolled to last
    if (job.signal.aborted) continue
    inFlight++
    draw(job.canvas, job.url, job.signal)
      .then(job.resolve, job.reject)
      .finally(() => {
        inFlight--
        schedule()
      })
  }
  schedule()
}

/** Draws the image at `url` into `canvas`, cropped to its aspect ("cover"). */
async function draw(canvas: HTMLCanvasElement, url: string, signal: AbortSignal): Promise<void> {
  const response = await fetch(url, { signal })
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`)
  const bitmap = await createImageBitmap(await response.blob())
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
 * Draws the thumbnail at `url` into `canvas` (cropped to cover it) once its turn comes. Resolves
 * when drawn, and also when `signal` aborts first (nothing is drawn then); rejects on an HTTP
 * error or an image that cannot be decoded.
 */
export function drawThumbnail(canvas: HTMLCanvasElement, url: string, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    queue.push({ canvas, url, signal, resolve, reject })
    signal.addEventListener('abort', () => resolve(), { once: true })
    schedule()
  })
}
