/** `constella train --dataset labels.json --out DIR`: fine-tune the SARL-GAT head on a labelled set. */
import { loadDataset } from '../../main/engine/eval/dataset.js'
import { resolveProviderSetting } from '../../main/engine/models/sessions.js'
import { trainFromDataset } from '../../main/engine/training/train-from-dataset.js'
import { trainSalgl } from './train-salgl.js'
import type { Command } from '../index.js'
import { fixed, table } from '../format.js'
import { ProgressBar } from '../progress.js'

function number(value: unknown, name: string, fallback: number, check: (v: number) => boolean): number {
  if (value === undefined) return fallback
  const v = Number(value)
  if (!Number.isFinite(v) || !check(v)) throw new Error(`constella train: --${name} ${String(value)} is not valid`)
  return v
}

export const trainCommand: Command = {
  summary: 'fine-tune the SARL-GAT head (or train the salgl label-refinement head) on a labelled set (writes the head and before/after metrics)',
  usage: 'constella train --dataset labels.json --out DIR [--head sarl-gat|salgl] [--scenes K] [--compare DIR] [--images DIR] [--split 0.7] [--seed N] [--validation 0.2] '
    + '[--epochs N] [--backend wasm|cpu] [--resume] [--cache DIR] [--rebuild-cache] [--json]',
  options: {
    dataset: { type: 'string' }, images: { type: 'string' }, out: { type: 'string' }, split: { type: 'string' }, seed: { type: 'string' },
    validation: { type: 'string' }, epochs: { type: 'string' }, backend: { type: 'string' }, resume: { type: 'boolean' },
    cache: { type: 'string' }, 'rebuild-cache': { type: 'boolean' }, head: { type: 'string' }, scenes: { type: 'string' }, compare: { type: 'string' },
  },
  async run(values) {
    if (typeof values.dataset !== 'string' || typeof values.out !== 'string') {
      console.error('constella train: --dataset labels.json and --out DIR are required')
      return 2
    }
    if (values.backend !== undefined && values.backend !== 'wasm' && values.backend !== 'cpu') {
      console.error(`constella train: --backend ${String(values.backend)} must be wasm or cpu`)
      return 2
    }
    if (values.head !== undefined && values.head !== 'sarl-gat' && values.head !== 'salgl') {
      console.error(`constella train: --head ${String(values.head)} must be sarl-gat or salgl`)
      return 2
    }
    const split = number(values.split, 'split', 0.7, (v) => v > 0 && v <= 1)
    const seed = number(values.seed, 'seed', 1, Number.isInteger)
    if (values.head === 'salgl') return trainSalgl(values, split, seed)
    if (values.scenes !== undefined || values.compare !== undefined) {
      console.error('constella train: --scenes and --compare belong to --head salgl')
      return 2
    }
    const dataset = loadDataset(values.dataset, typeof values.images === 'string' ? values.images : undefined)
    const controller = new AbortController()
    const onSigint = () => {
      console.error('\nstopping after this batch (Ctrl+C again to quit now); the best head so far is written')
      controller.abort()
      process.once('SIGINT', () => process.exit(130))
    }
    process.once('SIGINT', onSigint)
    const bar = new ProgressBar(dataset.images.length, 'photos')
    let cached = 0
    const json = Boolean(values.json)
    try {
      const metrics = await trainFromDataset({
        datasetFile: values.dataset,
        classes: dataset.classes,
        images: dataset.images,
        outDir: values.out,
        split,
        seed,
        validation: number(values.validation, 'validation', 0.2, (v) => v >= 0 && v < 1),
        settings: values.epochs === undefined ? {} : { maxEpochs: number(values.epochs, 'epochs', 60, (v) => Number.isInteger(v) && v >= 0) },
        backend: values.backend as 'wasm' | 'cpu' | undefined,
        provider: resolveProviderSetting(),
        cacheDir: typeof values.cache === 'string' ? values.cache : undefined,
        rebuildCache: Boolean(values['rebuild-cache']),
        resume: Boolean(values.resume),
        recipe: `constella train ${process.argv.slice(3).join(' ')}`,
        signal: controller.signal,
        onCacheProgress: (done) => {
          bar.tick(done - cached)
          cached = done
        },
        onStage: (stage) => json || stage === 'cache' || console.error(`${stage}...`),
        onEpoch: (e) => json || console.error(`epoch ${e.epoch}: loss ${e.loss.toFixed(4)}  validation ret mAP ${fixed(e.validation.mAP)} NDCG@10 ${fixed(e.validation.ndcg)} cls mAP ${fixed(e.validation.clsMAP)}  best epoch ${e.bestEpoch}  ${e.seconds.toFixed(1)} s`),
      })
      if (json) {
        console.log(JSON.stringify(metrics, null, 2))
        return 0
      }
      console.log(`\ntrained on ${metrics.photos.train} photos (validation ${metrics.photos.validation}), best epoch ${metrics.bestEpoch} of ${metrics.epochs}, `
        + `${metrics.timings.train.toFixed(0)} s training (${metrics.timings.secondsPerEpoch.toFixed(1)} s/epoch, ${metrics.backend}); written to ${values.out}`)
      const h = metrics.heldOut
      if (h) {
        const rows = (part: typeof h, name: string) => Object.entries(part.after).map(([method, after]) => {
          const before = part.before[method]
          return [`${name} ${method}`, fixed(before.ret.mAP), fixed(after.ret.mAP), fixed(before.ret['NDCG@10']), fixed(after.ret['NDCG@10']), before.cls ? fixed(before.cls.mAP) : '-', after.cls ? fixed(after.cls.mAP) : '-']
        })
        console.log(`held out (${h.photos} photos; before = the pack's head):`)
        console.log(table(['part / method', 'ret mAP before', 'after', 'NDCG@10 before', 'after', 'cls mAP before', 'after'],
          [...rows(h, 'all'), ...Object.entries(h.parts).flatMap(([name, part]) => rows({ ...part, parts: {} }, name))]))
        console.log(`score it with the product pipeline: constella eval --dataset ${values.out}/heldout.json --head ${values.out}`)
      }
      return 0
    } finally {
      process.removeListener('SIGINT', onSigint)
    }
  },
}
