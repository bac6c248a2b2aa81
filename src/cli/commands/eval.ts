/** `constella eval --dataset labels.json`: the papers' retrieval and classification metrics for every method. */
import { loadDataset } from '../../main/engine/eval/dataset.js'
import { runEval, type MethodReport } from '../../main/engine/eval/run-eval.js'
import { resolveProviderSetting } from '../../main/engine/models/sessions.js'
import type { QueryCounts } from '../../shared/metrics/retrieval.js'
import type { Command } from '../index.js'
import { fixed, table } from '../format.js'
import { ProgressBar } from '../progress.js'

function printTable(title: string, methods: Record<string, MethodReport>, queries: QueryCounts): void {
  const skipped = queries.skipped > 0
    ? `; ${queries.skipped} ${queries.skipped === 1 ? 'query' : 'queries'} skipped by every retrieval metric (no other image shares a label)`
    : ''
  console.log(`\n${title}: retrieval over ${queries.queries} queries${skipped}`)
  console.log(table(
    ['method', 'ret mAP', 'P@1', 'P@5', 'P@10', 'NDCG@10', 'cls mAP', 'CP', 'CR', 'CF1', 'OP', 'OR', 'OF1'],
    Object.entries(methods).map(([name, m]) => [
      name, fixed(m.ret.mAP), fixed(m.ret['P@1']), fixed(m.ret['P@5']), fixed(m.ret['P@10']), fixed(m.ret['NDCG@10']),
      ...(m.cls ? [m.cls.mAP, m.cls.CP, m.cls.CR, m.cls.CF1, m.cls.OP, m.cls.OR, m.cls.OF1].map((v) => fixed(v)) : Array(7).fill('-')),
    ]),
  ))
}

export const evalCommand: Command = {
  summary: 'evaluate retrieval (mAP, P@K, NDCG@10) and classification (mAP, CP..OF1) of every method on a labelled set',
  usage: 'constella eval --dataset labels.json [--images DIR] [--head DIR] [--json]',
  options: { dataset: { type: 'string' }, images: { type: 'string' }, head: { type: 'string' } },
  async run(values) {
    if (typeof values.dataset !== 'string') {
      console.error('constella eval: --dataset labels.json is required')
      return 2
    }
    const dataset = loadDataset(values.dataset, typeof values.images === 'string' ? values.images : undefined)
    const bar = new ProgressBar(dataset.images.length, 'images')
    const headDir = typeof values.head === 'string' ? values.head : undefined
    const report = await runEval(dataset, { provider: resolveProviderSetting(), headDir, onProgress: () => bar.tick() })
    bar.finish()
    if (values.json) {
      console.log(JSON.stringify(report, null, 2))
      return 0
    }
    console.log(`evaluated ${report.images} images in ${report.seconds.toFixed(0)} s (feature map: ${report.featureSource}; head ${report.head}); relevant = shares a label; values in %`)
    printTable(`all ${report.images} images`, report.methods, report.queries)
    for (const [split, part] of Object.entries(report.splits ?? {})) printTable(`${split} (${part.images} images)`, part.methods, part.queries)
    console.log('')
    for (const [name, note] of Object.entries(report.notes)) console.log(`${name.padEnd(18)} ${note}`)
    for (const f of report.failed) console.log(`failed: ${f.file}: ${f.reason}`)
    return 0
  },
}
