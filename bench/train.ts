/**
 * Training benchmark (issue 8): fine-tunes the head on the 70% split of coco-dev in its training
 * process (the product path, `trainFromDataset`), and prints the seconds per epoch and in total,
 * split into the detector pass that fills the head-input cache (once per photo; later runs reuse
 * it) and the training itself. Then it indexes a library of the photos, activates the trained
 * head (every photo re-embedded from its stored head inputs, indexes rebuilt) and rolls back,
 * printing how long re-embedding and re-indexing take.
 *
 *   npx tsx bench/train.ts [--dataset ../shared/data/coco-dev/labels.json] [--split 0.7] [--seed 1]
 *     [--photos 395] [--backend wasm|cpu] [--cold]     (--cold: run the detector again for the cache)
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { loadDataset } from '../src/main/engine/eval/dataset.js'
import { indexLibrary } from '../src/main/engine/library/indexer.js'
import { Library } from '../src/main/engine/library/library.js'
import { activateHead, addHeadVersion, rollbackHead } from '../src/main/engine/training/head-versions.js'
import { trainFromDataset } from '../src/main/engine/training/train-from-dataset.js'
import { machineLine, parseArgs, table } from './support/bench-report.js'

const args = parseArgs(process.argv.slice(2))
const datasetFile = path.resolve(args.get('dataset') ?? path.join(import.meta.dirname, '..', '..', 'shared', 'data', 'coco-dev', 'labels.json'))
const dataset = loadDataset(datasetFile)
const work = mkdtempSync(path.join(tmpdir(), 'constella-bench-train-'))
const out = path.join(work, 'trained')

try {
  console.log(machineLine())
  const t0 = Date.now()
  const metrics = await trainFromDataset({
    datasetFile,
    classes: dataset.classes,
    images: dataset.images,
    outDir: out,
    split: Number(args.get('split') ?? 0.7),
    seed: Number(args.get('seed') ?? 1),
    backend: (args.get('backend') as 'wasm' | 'cpu' | undefined) ?? 'wasm',
    cacheDir: args.has('cold') ? path.join(work, 'cache') : undefined,
    onEpoch: (e) => console.log(`epoch ${String(e.epoch).padStart(2)}  ${e.seconds.toFixed(2)} s  loss ${e.loss.toFixed(4)}  validation ret mAP ${e.validation.mAP.toFixed(1)} NDCG@10 ${e.validation.ndcg.toFixed(1)}`),
  })
  const total = (Date.now() - t0) / 1000
  const perEpoch = metrics.history.map((e) => e.seconds)
  console.log(`\n${metrics.photos.train} training photos, ${metrics.photos.validation} validation, ${metrics.photos.heldOut} held out; backend ${metrics.backend}; best epoch ${metrics.bestEpoch} of ${metrics.epochs}`)
  console.log(table(['what', 'seconds'], [
    ['head-input cache (detector pass; 0 photos analysed = reused)', `${metrics.cache.seconds.toFixed(1)} (${metrics.cache.analysed} photos analysed)`],
    ['seconds per epoch (mean / min / max)', `${(perEpoch.reduce((a, b) => a + b, 0) / perEpoch.length).toFixed(2)} / ${Math.min(...perEpoch).toFixed(2)} / ${Math.max(...perEpoch).toFixed(2)}`],
    ...Object.entries(metrics.timings).filter(([k]) => k !== 'secondsPerEpoch').map(([k, v]) => [`job stage: ${k}`, v.toFixed(1)]),
    ['training process, spawn to files written', (total - metrics.cache.seconds).toFixed(1)],
    ['total (cache + training + files)', total.toFixed(1)],
  ]))
  const h = metrics.heldOut?.after['sarl-gat']
  if (h) console.log(`held out: sarl-gat ret mAP ${h.ret.mAP.toFixed(1)} NDCG@10 ${h.ret['NDCG@10'].toFixed(1)} cls mAP ${h.cls?.mAP.toFixed(1)}`)

  const count = Number(args.get('photos') ?? dataset.images.length)
  const libDir = path.join(work, 'library')
  const lib = await Library.open({ dir: libDir })
  const tIndex = Date.now()
  try {
    await indexLibrary(lib, dataset.images.slice(0, count).map((i) => i.path))
  } finally {
    await lib.close()
  }
  const indexSeconds = (Date.now() - tIndex) / 1000
  const version = addHeadVersion(libDir, out)
  const on = await activateHead({ dir: libDir }, version.id)
  const off = await rollbackHead({ dir: libDir })
  console.log(`\nlibrary of ${on.photos} photos, ${on.objects} objects (indexing with the detector: ${indexSeconds.toFixed(1)} s)`)
  console.log(table(['activation', 're-embed s', 're-index s', 'photos/s re-embedded'], [
    ['activate trained head', on.reembedSeconds.toFixed(1), on.reindexSeconds.toFixed(1), (on.photos / on.reembedSeconds).toFixed(1)],
    ['roll back to the pack head', off.reembedSeconds.toFixed(1), off.reindexSeconds.toFixed(1), (off.photos / off.reembedSeconds).toFixed(1)],
  ]))
} finally {
  rmSync(work, { recursive: true, force: true })
}
