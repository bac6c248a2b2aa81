/** `constella train --head salgl [--scenes K]`: the SALGL scene-aware label-refinement head (see engine/training/salgl). */
import { loadDataset } from '../../main/engine/eval/dataset.js'
import { resolveProviderSetting } from '../../main/engine/models/sessions.js'
import { trainSalglFromDataset } from '../../main/engine/training/salgl/salgl-from-dataset.js'
import { fixed, table } from '../format.js'
import { ProgressBar } from '../progress.js'

function integer(value: unknown, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback
  const v = Number(value)
  if (!Number.isInteger(v) || v < min) throw new Error(`constella train: --${name} ${String(value)} must be an integer >= ${min}`)
  return v
}

/** Runs `constella train --head salgl` with the parsed options; returns the exit code. */
export async function trainSalgl(values: Record<string, string | boolean | string[] | undefined>, split: number, seed: number): Promise<number> {
  if (values.resume) {
    console.error('constella train: --resume is not supported with --head salgl (a run takes about a minute)')
    return 2
  }
  const validation = values.validation === undefined ? 0.2 : Number(values.validation)
  if (!(validation >= 0 && validation < 1)) throw new Error(`constella train: --validation ${String(values.validation)} is not valid`)
  const scenes = integer(values.scenes, 'scenes', 6, 1)
  const dataset = loadDataset(values.dataset as string, typeof values.images === 'string' ? values.images : undefined)
  const controller = new AbortController()
  const onSigint = () => controller.abort()
  process.once('SIGINT', onSigint)
  const json = Boolean(values.json)
  const bar = new ProgressBar(dataset.images.length, 'photos')
  let cached = 0
  try {
    const m = await trainSalglFromDataset({
      datasetFile: values.dataset as string,
      classes: dataset.classes,
      images: dataset.images,
      outDir: values.out as string,
      split, seed, validation, scenes,
      settings: values.epochs === undefined ? {} : { maxEpochs: integer(values.epochs, 'epochs', 60, 0) },
      backend: values.backend as 'wasm' | 'cpu' | undefined,
      provider: resolveProviderSetting(),
      cacheDir: typeof values.cache === 'string' ? values.cache : undefined,
      rebuildCache: Boolean(values['rebuild-cache']),
      compareDir: typeof values.compare === 'string' ? values.compare : undefined,
      recipe: `constella train ${process.argv.slice(3).join(' ')}`,
      signal: controller.signal,
      onCacheProgress: (done) => {
        bar.tick(done - cached)
        cached = done
      },
      onEpoch: (e) => json || console.error(`epoch ${e.epoch}: loss ${e.loss.toFixed(4)} (cls ${e.terms.cls.toFixed(4)}, entropy ${e.terms.entropy.toFixed(4)})  validation cls mAP ${fixed(e.validation)}  scenes ${e.sceneSizes.join('/')}  best epoch ${e.bestEpoch}  ${e.seconds.toFixed(1)} s`),
    })
    if (json) {
      console.log(JSON.stringify(m, null, 2))
      return 0
    }
    console.log(`\nsalgl head (K ${m.scenes}, d ${m.nodeDim}, T ${m.steps}) trained on ${m.photos.train} photos (validation ${m.photos.validation}), best epoch ${m.bestEpoch} of ${m.epochs} `
      + `(validation cls mAP ${fixed(m.validation.start)} at the start -> ${fixed(m.validation.best)}), ${m.seconds.toFixed(0)} s (${m.backend}); written to ${String(values.out)}`)
    const h = m.heldOut
    if (h) {
      const names = Object.keys(h.methods)
      const row = (name: string, part: { photos: number; methods: typeof h.methods }) => [`${name} (${part.photos})`, ...names.map((n) => fixed(part.methods[n].mAP))]
      console.log(`held out: classification mAP (sarl-gat = ${m.compared}); held-out scene sizes ${h.scenes.sizes.join('/')}, entropy ${h.scenes.entropy.toFixed(3)}`)
      console.log(table(['part', ...names], [row('all', h), ...Object.entries(h.parts).map(([n, p]) => row(n, p))]))
      console.log(`score it with the product pipeline: constella eval --dataset ${String(values.out)}/heldout.json --head ${String(values.out)}`)
    }
    return 0
  } finally {
    process.removeListener('SIGINT', onSigint)
  }
}
