/** The worker thread of {@link runWorkerTask}: reads from a read-only connection and computes scenes or the map. */
import { parentPort, workerData } from 'node:worker_threads'
import { openLibraryDb } from '../store/database.js'
import { computeMapLayout } from './map-layout.js'
import { runSceneTask } from './scene-task.js'
import type { WorkerMessage, WorkerTask } from './worker-task.js'

const task = workerData as WorkerTask
const post = (m: WorkerMessage): void => parentPort!.postMessage(m)
const progress = (fraction: number, stage: string): void => post({ kind: 'progress', fraction, stage })

try {
  const db = openLibraryDb(task.dbFile, { readOnly: true })
  try {
    const result = task.kind === 'scenes' ? runSceneTask(db, task.options, progress) : computeMapLayout(db, task.options, progress)
    post({ kind: 'done', result })
  } finally {
    db.close()
  }
} catch (err) {
  post({ kind: 'error', message: err instanceof Error ? err.message : String(err) })
}
