/**
 * Runs a {@link TrainJob} in its own process (`train-worker.ts`, a `child_process.fork` with
 * structured-clone messages; tsx is loaded when running from source), with progress, cancel and
 * the result as a promise. The caller's event loop only receives messages.
 */
import { fork } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { EpochReport } from './train-loop.js'
import type { TrainJob, TrainJobResult } from './train-job.js'

/** Messages to the training process. */
export type ToWorker = { kind: 'start'; job: TrainJob } | { kind: 'cancel' }
/** Messages from the training process. */
export type FromWorker =
  | { kind: 'ready' }
  | { kind: 'stage'; stage: string }
  | { kind: 'epoch'; report: EpochReport }
  | { kind: 'done'; result: TrainJobResult }
  | { kind: 'error'; message: string; stack?: string }

/** A running training. */
export interface TrainingRun {
  readonly pid: number | undefined
  /** Resolves with the result (also after a cancel: the best head so far); rejects on failure. */
  readonly done: Promise<TrainJobResult>
  /** Stops after the current batch. */
  cancel(): void
}

/** Hooks of a run. */
export interface TrainingHooks {
  onEpoch?(report: EpochReport): void
  onStage?(stage: string): void
}

function workerEntry(): string {
  const ts = fileURLToPath(new URL('./train-worker.ts', import.meta.url))
  return import.meta.url.endsWith('.ts') && existsSync(ts) ? ts : fileURLToPath(new URL('./train-worker.js', import.meta.url))
}

/** Starts `job` in a training process. */
export function startTraining(job: TrainJob, hooks: TrainingHooks = {}): TrainingRun {
  const entry = workerEntry()
  const execArgv = entry.endsWith('.ts') ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] : []
  const child = fork(entry, [], { serialization: 'advanced', execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const done = new Promise<TrainJobResult>((resolve, reject) => {
    let settled = false
    child.on('message', (message: FromWorker) => {
      if (message.kind === 'ready') child.send({ kind: 'start', job } satisfies ToWorker)
      else if (message.kind === 'stage') hooks.onStage?.(message.stage)
      else if (message.kind === 'epoch') hooks.onEpoch?.(message.report)
      else if (message.kind === 'done') {
        settled = true
        resolve(message.result)
      } else if (message.kind === 'error') {
        settled = true
        reject(Object.assign(new Error(`training failed: ${message.message}`), { stack: message.stack }))
      }
    })
    child.on('error', (err) => {
      if (!settled) reject(err)
    })
    child.on('exit', (code, signal) => {
      if (!settled) reject(new Error(`the training process exited before it finished (${signal ? `signal ${signal}` : `code ${code}`})`))
    })
  })
  return {
    pid: child.pid,
    done,
    cancel: () => {
      if (child.connected) child.send({ kind: 'cancel' } satisfies ToWorker)
    },
  }
}
