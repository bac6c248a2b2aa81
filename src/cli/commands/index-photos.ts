/** `constella index <folder...>`: incremental, resumable indexing with a live progress bar and a summary. */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { indexLibrary, type IndexSummary } from '../../main/engine/library/indexer.js'
import { Library } from '../../main/engine/library/library.js'
import { describeDamaged } from '../../main/engine/library/vector-repair.js'
import { SUPPORTED_PHOTOS } from '../../main/engine/io/walk.js'
import { resolveProviderSetting } from '../../main/engine/models/sessions.js'
import type { Command } from '../index.js'
import { ProgressBar } from '../progress.js'

/** First Ctrl-C: finish the photos in flight, save and stop; second: quit at once. */
function cancelOnInterrupt(controller: AbortController): () => void {
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(130)
    console.error('\nstopping: finishing the photos in flight and saving (Ctrl-C again to quit at once)')
    controller.abort()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return () => {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

function printSummary(lib: Library, s: IndexSummary): void {
  const counts = lib.store.photos.statusCounts()
  console.log(`library: ${lib.paths.dir}${s.resumed ? ` (resumed run ${s.runId})` : ''}`)
  if (s.cancelled) console.log('cancelled: photos not analysed yet stay pending; run the same command to continue')
  console.log(`found ${s.found} photos in ${s.seconds.toFixed(1)} s: ${s.indexed} indexed, ${s.skipped} unchanged, ${s.moved} moved, ${s.reanalysed > 0 ? `${s.reanalysed} re-analysed (model pack changed), ` : ''}${s.duplicates} duplicates, ${s.failed.length} failed, ${s.pruned} pruned`)
  if (s.indexed > 0) console.log(`${(s.indexed / s.seconds).toFixed(2)} photos/s`)
  for (const f of s.failed) console.log(`  failed: ${f.path}: ${f.reason}`)
  for (const u of s.unreadable) console.log(`  unreadable: ${u.path}: ${u.reason}`)
  console.log(`library now holds ${counts.indexed} indexed, ${counts.failed} failed, ${counts.pending} pending photos`)
}

export const indexCommand: Command = {
  summary: 'index photo folders into the library (incremental: unchanged photos are skipped, removed ones pruned)',
  usage: 'constella index <folder|photo...> [--library DIR] [--retry-failed] [--json]',
  options: { 'retry-failed': { type: 'boolean' } },
  async run(values, roots) {
    if (roots.length === 0) {
      console.error('constella index: give at least one folder or photo')
      return 2
    }
    const missing = roots.filter((r) => !existsSync(r))
    if (missing.length > 0) {
      for (const r of missing) console.error(`constella index: ${path.resolve(r)} does not exist`)
      console.error(`Give folders (or photo files) that hold photos: ${SUPPORTED_PHOTOS}.`)
      return 1
    }
    const lib = await Library.open({ provider: resolveProviderSetting(), owner: { command: 'constella index' } })
    const bar = new ProgressBar(0)
    const controller = new AbortController()
    const stopListening = cancelOnInterrupt(controller)
    try {
      for (const line of describeDamaged(lib.damaged, true)) console.error(`warning: ${line}`)
      const s = await indexLibrary(lib, roots, {
        retryFailed: Boolean(values['retry-failed']),
        signal: controller.signal,
        onFound: (n) => bar.setTotal(n),
        onPhotoDone: () => bar.tick(),
      })
      bar.finish()
      if (values.json) {
        console.log(JSON.stringify({ library: lib.paths.dir, ...s, library_counts: lib.store.photos.statusCounts() }, null, 2))
      } else {
        printSummary(lib, s)
      }
      for (const r of s.emptyRoots) console.error(`constella index: ${r} holds no photo (looked for ${SUPPORTED_PHOTOS})`)
      if (s.cancelled) return 130
      return s.emptyRoots.length > 0 ? 1 : 0
    } finally {
      stopListening()
      await lib.close()
    }
  },
}
