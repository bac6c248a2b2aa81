/**
 * Grid thumbnails drawn into canvases. A worker (thumbnail-worker.ts) fetches and decodes them
 * and transfers the decoded bitmap; the main thread draws it cropped to cover the canvas and
 * releases it at once (`close`).
 *
 * Why not an <img> per tile: the decoded image of an <img> is only released by Blink's garbage
 * collector, in the atomic pause of a full collection, at about 0.1 ms per 320 px thumbnail on
 * this project's 2-core test machine: scrolling a large grid past a few hundred thumbnails made
 * that pause 60-90 ms, the longest task while scrolling (bench/ui). Why a worker: a fetch on the
 * main thread costs it about a millisecond, and the finished fetches' clean-up ran in the main
 * thread's collections too (pre-finalizers, 66-163 ms after ~600 thumbnails). In the worker both
 * stay off the thread that scrolls; the main thread only posts a message per tile.
 */
import type { ThumbnailAsk, ThumbnailReply } from './thumbnail-worker.js'

interface Pending {
  canvas: HTMLCanvasElement
  resolve: () => void
  reject: (err: unknown) => void
}

const pending = new Map<number, Pending>()
let lastId = 0
/** Asks made in one task form a batch (a scroll or a jump): the worker serves the newest first. */
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
/** The worker; null where none can be started (then thumbnails are fetched on the main thread). */
let worker: Worker | null | undefined

function thumbnailWorker(): Worker | null {
  if (worker !== undefined) return worker
  try {
    worker = new Worker(new URL('./thumbnail-worker.ts', import.meta.url), { type: 'module', name: 'thumbnails' })
    worker.onmessage = ({ data }: MessageEvent<ThumbnailReply>) => settle(data)
  } catch {
    worker = null
  }
  return worker
}

function settle(reply: ThumbnailReply): void {
  const job = pending.get(reply.id)
  pending.delete(reply.id)
  if ('error' in reply) return job?.reject(new Error(reply.error))
  try {
    if (job) cover(job.canvas, reply.bitmap)
    job?.resolve()
  } catch (err) {
    job?.reject(err)
  } finally {
    reply.bitmap.close()
  }
}

/** Draws `bitmap` into `canvas`, cropped to the canvas's aspect ("cover"). */
function cover(canvas: HTMLCanvasElement, bitmap: ImageBitmap): void {
  const context = canvas.getContext('2d')
  if (!context) throw new Error('no 2D canvas context')
  const scale = Math.max(canvas.width / bitmap.width, canvas.height / bitmap.height)
  const sw = canvas.width / scale
  const sh = canvas.height / scale
  context.imageSmoothingQuality = 'high'
  context.drawImage(bitmap, (bitmap.width - sw) / 2, (bitmap.height - sh) / 2, sw, sh, 0, 0, canvas.width, canvas.height)
}

/** Without a worker: the same, on the main thread. */
async function drawHere(canvas: HTMLCanvasElement, url: string, signal: AbortSignal): Promise<void> {
  const response = await fetch(url, { signal })
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`)
  const bitmap = await createImageBitmap(await response.blob())
  try {
    if (!signal.aborted) cover(canvas, bitmap)
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
  const w = thumbnailWorker()
  if (!w) return drawHere(canvas, url, signal).catch((err) => (signal.aborted ? undefined : Promise.reject(err)))
  return new Promise((resolve, reject) => {
    const id = ++lastId
    pending.set(id, { canvas, resolve, reject })
    signal.addEventListener('abort', () => {
      if (!pending.delete(id)) return
      w.postMessage({ cancel: id } satisfies ThumbnailAsk)
      resolve()
    }, { once: true })
    w.postMessage({ id, url: new URL(url, location.href).href, batch: currentBatch(), order } satisfies ThumbnailAsk)
  })
}
