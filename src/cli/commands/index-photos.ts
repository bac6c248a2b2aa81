/** `constella index <folder...>`: incremental, resumable indexing with a live progress bar and a summary. */
import { indexLibrary } from '../../main/engine/library/indexer.js'
import { Library } from '../../main/engine/library/library.js'
import { resolveProviderSetting } from '../../main/engine/models/sessions.js'
import type { Command } from '../index.js'
import { ProgressBar } from '../progress.js'

export const indexCommand: Command = {
  summary: 'index photo folders into the library (incremental: unchanged photos are skipped, removed ones pruned)',
  usage: 'constella index <folder|photo...> [--library DIR] [--retry-failed] [--json]',
  options: { 'retry-failed': { type: 'boolean' } },
  async run(values, roots) {
    if (roots.length === 0) {
      console.error('constella index: give at least one folder or photo')
      return 2
    }
    const lib = await Library.open({ provider: resolveProviderSetting() })
    const bar = new ProgressBar(0)
    try {
      const s = await indexLibrary(lib, roots, {
        retryFailed: Boolean(values['retry-failed']),
        onFound: (n) => bar.setTotal(n),
        onPhotoDone: () => bar.tick(),
      })
      bar.finish()
      const counts = lib.store.photos.statusCounts()
      if (values.json) {
        console.log(JSON.stringify({ library: lib.paths.dir, ...s, library_counts: counts }, null, 2))
      } else {
        console.log(`library: ${lib.paths.dir}${s.resumed ? ` (resumed run ${s.runId})` : ''}`)
        console.log(`found ${s.found} photos in ${s.seconds.toFixed(1)} s: ${s.indexed} indexed, ${s.skipped} unchanged, ${s.moved} moved, ${s.reanalysed > 0 ? `${s.reanalysed} re-analysed (model pack changed), ` : ''}${s.duplicates} duplicates, ${s.failed.length} failed, ${s.pruned} pruned`)
        if (s.indexed > 0) console.log(`${(s.indexed / s.seconds).toFixed(2)} photos/s`)
        for (const f of s.failed) console.log(`  failed: ${f.path}: ${f.reason}`)
        for (const u of s.unreadable) console.log(`  unreadable: ${u.path}: ${u.reason}`)
        console.log(`library now holds ${counts.indexed} indexed, ${counts.failed} failed, ${counts.pending} pending photos`)
      }
      return 0
    } finally {
      await lib.close()
    }
  },
}
