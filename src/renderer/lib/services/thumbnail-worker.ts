/**
 * The grid's thumbnail worker (see thumbnails.ts): fetches and decodes thumbnails off the main
 * thread and hands each decoded bitmap over (transferred, not copied). The newest batch of asks
 * first (the tiles the user scrolled or jumped to last), in grid order within it (top to bottom); at most
 * MAX_DOWNLOADS downloads at once; an ask cancelled before its turn is never fetched.
 *
 * Messages in: `{ id, url, batch, order }` to ask, `{ cancel: id }` to cancel. Out: `{ id, bitmap }` or `{ id, error }`.
 */
type Job = { id: number; url: string; batch: number; order: number }
export type ThumbnailAsk = Job | { cancel: number }
export type ThumbnailReply = { id: number; bitmap: ImageBitmap } | { id: number; error: string }

/** Enough to keep the browser's 6 connections per host busy, few enough that the newest tiles come first. */
const MAX_DOWNLOADS = 18

interface WorkerScope {
  onmessage: ((event: MessageEvent<ThumbnailAsk>) => void) | null
  postMessage(message: ThumbnailReply, transfer?: Transferable[]): void
}
const scope = globalThis as unknown as WorkerScope

const queue: Job[] = []
const running = new Map<number, AbortController>()
let downloads = 0

scope.onmessage = ({ data }) => {
  if ('cancel' in data) {
    const queued = queue.findIndex((job) => job.id === data.cancel)
    if (queued >= 0) queue.splice(queued, 1)
    running.get(data.cancel)?.abort()
    return
  }
  queue.push(data)
  pump()
}

/** The first in grid order of the newest batch (batches arrive in order: the newest is the queue's tail). */
function next(): Job {
  const newest = queue[queue.length - 1].batch
  let best = queue.length - 1
  for (let i = queue.length - 2; i >= 0 && queue[i].batch === newest; i--) if (queue[i].order < queue[best].order) best = i
  return queue.splice(best, 1)[0]
}

function pump(): void {
  while (downloads < MAX_DOWNLOADS && queue.length > 0) void load(next())
}

async function load(job: Job): Promise<void> {
  const abort = new AbortController()
  running.set(job.id, abort)
  downloads++
  let downloading = true
  const downloaded = (): void => {
    if (!downloading) return
    downloading = false
    downloads--
    pump()
  }
  try {
    const response = await fetch(job.url, { signal: abort.signal })
    if (!response.ok) throw new Error(`${job.url}: HTTP ${response.status}`)
    const blob = await response.blob()
    downloaded() // decoding overlaps the next downloads
    const bitmap = await createImageBitmap(blob)
    if (abort.signal.aborted) bitmap.close()
    else scope.postMessage({ id: job.id, bitmap }, [bitmap])
  } catch (err) {
    if (!abort.signal.aborted) scope.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) })
  } finally {
    downloaded()
    running.delete(job.id)
  }
}
