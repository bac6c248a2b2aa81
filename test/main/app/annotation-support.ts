/** Helpers of the annotation, interchange and training app tests. */
import type { JobInfo } from '../../../src/shared/api-contract.js'
import type { AppFixture } from './app-fixture.js'

/** Waits for job `id` of `app` to end; returns it. */
export async function jobEnded(app: AppFixture, id: number, timeoutMs = 120_000): Promise<JobInfo> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const job = (await app.call('jobs.list', {})).find((j) => j.id === id)
    if (job && job.state !== 'queued' && job.state !== 'running') return job
    if (Date.now() > until) throw new Error(`job ${id} still running: ${JSON.stringify(job)}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}
