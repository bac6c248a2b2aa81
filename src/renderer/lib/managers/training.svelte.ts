/**
 * The Train view's state: the training settings (split, epochs), the head versions of the library
 * (`heads.list`), and the actions (start, resume, activate, roll back), each a job whose progress
 * arrives through the jobs list (`job.updated`). Pure helpers read a job's training progress and
 * the before/after figures of a head.
 */
import type { HeadMetrics, HeadVersionInfo, JobInfo, JobKind, TrainProgress } from '../../../shared/api-contract.js'
import { call } from '../api.js'
import { errorMessage } from './toasts.svelte.js'

/** Defaults of a training run (the engine's: 70% trained on, early stopping within 30 epochs). */
export const TRAIN_DEFAULTS = { split: 0.7, epochs: 30 } as const

/** The newest job of a kind, or null. Jobs come newest first. */
export function latestJob(jobs: readonly JobInfo[], kinds: readonly JobKind[]): JobInfo | null {
  return jobs.find((j) => kinds.includes(j.kind)) ?? null
}

/** The training progress of a job, if it is a training job that reported any. */
export function trainProgress(job: JobInfo | null): TrainProgress | null {
  return job?.detail?.kind === 'train' ? job.detail.progress : null
}

/** One figure of a head before and after training. */
export interface MetricChange {
  label: string
  before: number | null
  after: number | null
  /** after - before, null when either is missing. */
  delta: number | null
}

/** Retrieval mAP, NDCG@10 and classification mAP of a head, before and after (percent). */
export function metricChanges(head: Pick<HeadVersionInfo, 'before' | 'after'>): MetricChange[] {
  const pick = (m: HeadMetrics | null, key: 'mAP' | 'ndcg' | 'clsMAP'): number | null => m?.[key] ?? null
  return (
    [
      ['retrieval mAP', 'mAP'],
      ['NDCG@10', 'ndcg'],
      ['cls mAP', 'clsMAP'],
    ] as const
  ).map(([label, key]) => {
    const before = pick(head.before, key)
    const after = pick(head.after, key)
    return { label, before, after, delta: before !== null && after !== null ? after - before : null }
  })
}

/** Points of the training curves, one per epoch and series (for a Plot line mark). */
export function curvePoints(progress: TrainProgress | null): { epoch: number; value: number; series: 'loss' | 'validation mAP' }[] {
  const out: { epoch: number; value: number; series: 'loss' | 'validation mAP' }[] = []
  for (const h of progress?.history ?? []) {
    if (Number.isFinite(h.loss)) out.push({ epoch: h.epoch, value: h.loss, series: 'loss' })
    if (h.validationMAP !== null && Number.isFinite(h.validationMAP)) out.push({ epoch: h.epoch, value: h.validationMAP, series: 'validation mAP' })
  }
  return out
}

/** Training settings, head versions and the actions of the Train view. */
export class TrainingManager {
  /** Fraction of the labelled photos trained on (the rest is held out for the before/after figures). */
  split = $state<number>(TRAIN_DEFAULTS.split)
  /** Most epochs (training stops earlier when validation stops improving). */
  epochs = $state<number>(TRAIN_DEFAULTS.epochs)
  heads = $state.raw<HeadVersionInfo[]>([])
  headsError = $state<string | null>(null)
  /** Why the last start, activation or rollback was refused (e.g. no human labels yet). */
  actionError = $state<string | null>(null)
  /** True while a request of an action is on its way. */
  pending = $state(false)

  /** The active head version. */
  readonly active: HeadVersionInfo | null = $derived(this.heads.find((h) => h.active) ?? null)

  /** Reads the head versions again. */
  async loadHeads(): Promise<void> {
    try {
      this.heads = await call('heads.list', {})
      this.headsError = null
    } catch (err) {
      this.headsError = errorMessage(err)
    }
  }

  /** Starts training (or resumes the last cancelled run); resolves to the job id, null when refused. */
  start(resume = false): Promise<number | null> {
    const epochs = Math.round(this.epochs)
    return this.#act(() => call('train.start', { split: this.split, epochs, resume }))
  }

  /** Makes a head version the library's (re-embeds and re-indexes: a job). */
  activate(id: string): Promise<number | null> {
    return this.#act(() => call('heads.activate', { id }))
  }

  /** Goes back to the previously active head (a job). */
  rollback(): Promise<number | null> {
    return this.#act(() => call('heads.rollback', {}))
  }

  async #act(request: () => Promise<{ jobId: number }>): Promise<number | null> {
    this.pending = true
    try {
      const { jobId } = await request()
      this.actionError = null
      return jobId
    } catch (err) {
      this.actionError = errorMessage(err)
      return null
    } finally {
      this.pending = false
    }
  }
}
