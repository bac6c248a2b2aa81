/**
 * Training the head from the app: a 'train' job builds the training set from the library's
 * human-known labels (training-inputs.ts: head inputs from stored rows, never the detector),
 * trains in the separate training process (`startTraining`: the app's event loop only receives its
 * messages), pushes TrainProgress (stage, epoch, loss and validation mAP per epoch), and adds the
 * trained head as a new version of the library with its before/after figures on the held-out
 * photos. Cancel keeps the best head so far (added as a version too); `resume` continues the last
 * cancelled run from its checkpoint. Activation and rollback: training-heads.ts.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { HeadMetrics, HeadVersionInfo, ParsedRequest, TrainProgress } from '../../shared/api-contract.js'
import { ApiError } from '../../shared/envelope.js'
import { decodeHead } from '../engine/head/head-params.js'
import type { Library } from '../engine/library/library.js'
import type { ProviderSetting } from '../engine/models/sessions.js'
import { TRAINED_FILES } from '../engine/training/head-pack.js'
import { addHeadVersion, listHeadVersions } from '../engine/training/head-versions.js'
import type { PartMetrics } from '../engine/training/evaluate-cached.js'
import { startTraining } from '../engine/training/train-process.js'
import { DEFAULT_INIT, type TrainJob } from '../engine/training/train-job.js'
import { DEFAULT_SETTINGS } from '../engine/training/train-loop.js'
import { packHeads } from '../engine/training/untrained-head.js'
import { writeTrainedHead, type TrainedHeadMetrics } from '../engine/training/write-trained-head.js'
import type { EventBus } from './event-bus.js'
import type { JobManager } from './job-manager.js'
import { HeadSwitcher } from './training-heads.js'
import { humanKnownLabels, MIN_TRAINING_PHOTOS, writeLibraryInputCache } from './training-inputs.js'

/** Options of {@link TrainingApp}. */
export interface TrainingAppOptions {
  /** The model pack the app was started with (the shipped head is its). */
  basePackDir: string
  /** The pack the library is open on (the active head's). */
  activePackDir: string
  provider?: ProviderSetting
  /** Training backend; default wasm (the measured one). */
  backend?: 'wasm' | 'cpu'
}

/** The training process's stages in words. */
const STAGES: Record<string, string> = {
  load: 'loading features', prepare: 'preparing graphs', choose: 'choosing the starting head', train: 'training',
  export: 'building the graph', evaluate: 'evaluating',
}

/**
 * Held-out figures of the 'sarl-gat' method as the contract shows them; null when there are none
 * or retrieval could not be scored (no two held-out photos share a label: the metrics file has null).
 */
function headMetrics(part: { photos: number; before: Record<string, PartMetrics>; after: Record<string, PartMetrics> } | undefined, side: 'before' | 'after'): HeadMetrics | null {
  const m = part?.[side]['sarl-gat']
  const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
  if (!part || !m || !finite(m.ret.mAP) || !finite(m.ret['NDCG@10'])) return null
  return { photos: part.photos, mAP: m.ret.mAP, ndcg: m.ret['NDCG@10'], clsMAP: finite(m.cls?.mAP) ? m.cls.mAP : null }
}

/** The training channels over one open library. */
export class TrainingApp {
  readonly heads: HeadSwitcher

  constructor(
    private readonly lib: Library,
    private readonly jobs: JobManager,
    events: EventBus,
    private readonly options: TrainingAppOptions,
  ) {
    this.heads = new HeadSwitcher(lib, jobs, events, options)
  }

  private get trainingDir(): string {
    return path.join(this.lib.paths.dir, 'training')
  }

  /** The head versions of the library, oldest first, with their held-out figures. */
  list(): HeadVersionInfo[] {
    return listHeadVersions(this.lib.paths.dir).map((v) => {
      const file = path.join(this.lib.paths.dir, 'heads', v.id, TRAINED_FILES.metrics)
      const m = v.id !== 'default' && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as TrainedHeadMetrics) : undefined
      return {
        id: v.id, modelVersion: v.modelVersion, createdAt: v.createdAt, active: v.active,
        before: headMetrics(m?.heldOut, 'before'), after: headMetrics(m?.heldOut, 'after'), trainedOn: m ? m.photos.train + m.photos.validation : null,
      }
    })
  }

  /** Queues a training job on the photos with human-known labels. */
  start(r: ParsedRequest<'train.start'>): { jobId: number } {
    const known = humanKnownLabels(this.lib)
    const needed = Math.max(MIN_TRAINING_PHOTOS, Math.ceil(MIN_TRAINING_PHOTOS / r.split))
    if (known.length < needed) {
      throw new ApiError('bad-request', `training needs at least ${needed} photos with labels a person set or accepted (split ${r.split}); `
        + `this library has ${known.length}. Accept or reject labels in the photo view or the review queue, mark photos reviewed, or import labels (COCO, YOLO, VOC, CSV, JSONL)`)
    }
    if (r.resume && !existsSync(path.join(this.trainingDir, 'checkpoint', 'checkpoint.bin'))) throw new ApiError('bad-request', 'there is no cancelled training run to resume: start a new one')
    const epochs = r.epochs ?? DEFAULT_SETTINGS.maxEpochs
    const title = `${r.resume ? 'Resuming training' : 'Training'} the head on ${known.length} photos`
    const job = this.jobs.runTask({ kind: 'train', title, args: { ...r } }, async (ctx) => {
      const progress: TrainProgress = { stage: 'reading cached features', epoch: 0, epochs, history: [] }
      const push = () => ctx.detail({ kind: 'train', progress: { ...progress, history: [...progress.history] } })
      push()
      const cache = await writeLibraryInputCache(this.lib, known, this.trainingDir, ctx.signal)
      if (ctx.signal.aborted) return
      if (cache.photos.length < needed) {
        throw new Error(`only ${cache.photos.length} of the ${known.length} labelled photos have stored head inputs (${cache.missing} were indexed by an older Constella): rescan their folders, then train again`)
      }
      const heads = packHeads(this.options.basePackDir)
      const current = packHeads(this.options.activePackDir).current
      const trainJob: TrainJob = {
        cacheFile: cache.file,
        photos: cache.photos.map((p) => ({ path: p.file, labels: p.labels, negatives: p.negatives })),
        split: r.split, seed: r.seed, validation: 0.2, init: DEFAULT_INIT,
        settings: { ...DEFAULT_SETTINGS, maxEpochs: epochs, seed: r.seed },
        backend: this.options.backend ?? 'wasm',
        baseHead: heads.untrained, currentHead: current,
        modelVersion: `sarl-gat-trained-1:${decodeHead(heads.untrained).header.featureSource}:library:split${r.split}:seed${r.seed}`,
        checkpointDir: path.join(this.trainingDir, 'checkpoint'),
        resume: r.resume,
      }
      mkdirSync(trainJob.checkpointDir!, { recursive: true })
      const run = startTraining(trainJob, {
        onStage: (stage) => {
          progress.stage = STAGES[stage] ?? stage
          push()
        },
        onEpoch: (e) => {
          progress.epoch = e.epoch
          progress.history.push({ epoch: e.epoch, loss: e.loss, validationMAP: Number.isFinite(e.validation.mAP) ? e.validation.mAP : null })
          ctx.progress(e.epoch, epochs)
          push()
        },
      })
      const cancel = () => run.cancel()
      ctx.signal.addEventListener('abort', cancel, { once: true })
      try {
        const result = await run.done
        const outDir = path.join(this.trainingDir, `run-${ctx.jobId}`)
        writeTrainedHead(outDir, trainJob, result, {
          dataset: `library ${this.lib.paths.dir}`, classes: [...this.lib.head.header.classNames],
          recipe: `train.start ${JSON.stringify(r)}`, cache: { file: cache.file, analysed: 0, seconds: 0 },
        })
        const version = addHeadVersion(this.lib.paths.dir, outDir)
        progress.stage = result.training.cancelled ? 'cancelled (best head so far kept)' : 'done'
        progress.headId = version.id
        push()
      } finally {
        ctx.signal.removeEventListener('abort', cancel)
      }
    })
    return { jobId: job.id }
  }
}
