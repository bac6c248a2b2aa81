/**
 * Runs a scene or map computation in a worker thread (`scene-worker.ts`), off the event loop of
 * the process that owns the library: the worker opens its own read-only connection (WAL: it never
 * blocks the writer), reads the vectors, computes, and posts the result back with progress on the
 * way. Cancelling terminates the worker. Under tsx (tests, `npx tsx`) the worker registers tsx
 * itself and loads the TypeScript source; a build loads `scene-worker.js` beside this chunk.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createRequire } from 'node:module'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import type { MapLayoutOptions, MapLayoutResult } from './map-layout.js'
import type { SceneTaskResult, SceneTaskOptions } from './scene-task.js'

/** What a worker computes. */
export type WorkerTask =
  | { kind: 'scenes'; dbFile: string; options: SceneTaskOptions }
  | { kind: 'map'; dbFile: string; options: MapLayoutOptions }

/** What the worker posts. */
export type WorkerMessage =
  | { kind: 'progress'; fraction: number; stage: string }
  | { kind: 'done'; result: SceneTaskResult | MapLayoutResult }
  | { kind: 'error'; message: string }

/** The worker script and how to start it: TypeScript source under tsx, else the built file. */
function workerSource(): { code: string; eval: true } | { file: string; eval: false } {
  const ts = fileURLToPath(new URL('./scene-worker.ts', import.meta.url))
  if (import.meta.url.endsWith('.ts') && existsSync(ts)) {
    const require = createRequire(import.meta.url)
    const api = path.join(path.dirname(require.resolve('tsx/package.json')), 'dist', 'esm', 'api', 'index.mjs')
    const code = `import(${JSON.stringify(pathToFileURL(api).href)}).then((m) => { m.register(); return import(${JSON.stringify(pathToFileURL(ts).href)}) })`
    return { code, eval: true }
  }
  return { file: fileURLToPath(new URL('./scene-worker.js', import.meta.url)), eval: false }
}

/** Runs `task` in a worker thread; `onProgress` gets (fraction, stage); `signal` terminates it. */
export function runWorkerTask<T extends SceneTaskResult | MapLayoutResult>(task: WorkerTask, onProgress?: (fraction: number, stage: string) => void,
  signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) return reject(Object.assign(new Error(`the ${task.kind} job was cancelled`), { name: 'AbortError' }))
    const source = workerSource()
    const worker = source.eval ? new Worker(source.code, { eval: true, workerData: task }) : new Worker(source.file, { workerData: task })
    let settled = false
    const finish = (fn: () => void): void => {
      if (settled) return
      settled = true
      signal?.removeEventListener('abort', onAbort)
      fn()
      void worker.terminate()
    }
    const onAbort = (): void => finish(() => reject(Object.assign(new Error(`the ${task.kind} job was cancelled`), { name: 'AbortError' })))
    signal?.addEventListener('abort', onAbort)
    worker.on('message', (m: WorkerMessage) => {
      if (m.kind === 'progress') onProgress?.(m.fraction, m.stage)
      else if (m.kind === 'done') finish(() => resolve(m.result as T))
      else finish(() => reject(new Error(m.message)))
    })
    worker.on('error', (err) => finish(() => reject(err)))
    worker.on('exit', (code) => finish(() => reject(new Error(`the ${task.kind} worker stopped (exit code ${code})`))))
  })
}
