/**
 * The training process's entry: it receives one {@link TrainJob}, runs it, and reports each epoch,
 * each stage and the result to its parent, so training never runs on the app's event loop.
 * A 'cancel' message stops after the current batch (the best head so far is still returned).
 */
import { runTrainJob, type TrainJob } from './train-job.js'
import type { ToWorker, FromWorker } from './train-process.js'

const controller = new AbortController()
let started = false

const send = (message: FromWorker): Promise<void> => new Promise((resolve) => {
  if (!process.send) return resolve()
  process.send(message, undefined, {}, () => resolve())
})

process.on('message', (message: ToWorker) => {
  if (message.kind === 'cancel') controller.abort()
  if (message.kind === 'start' && !started) {
    started = true
    void run(message.job)
  }
})
process.on('disconnect', () => process.exit(0))

async function run(job: TrainJob): Promise<void> {
  try {
    const result = await runTrainJob(job, {
      signal: controller.signal,
      onEpoch: (report) => void send({ kind: 'epoch', report }),
      onStage: (stage) => void send({ kind: 'stage', stage }),
    })
    await send({ kind: 'done', result })
  } catch (err) {
    await send({ kind: 'error', message: (err as Error).message, stack: (err as Error).stack })
  }
  process.disconnect()
}

void send({ kind: 'ready' })
