/** `constella detect <image...>`: detections per photo as a table or JSON; bad files get a clear error and the run goes on. */
import { CenterNetDetector, photoSize } from '../../main/engine/pipeline/detect.js'
import { decodePhoto } from '../../main/engine/pipeline/decode.js'
import { InferenceEngine } from '../../main/engine/worker/inference-client.js'
import { providerSummary, resolveProviderSetting } from '../../main/engine/models/sessions.js'
import { probeNoise } from '../../main/engine/worker/spawn-inference-process.js'
import type { Detection } from '../../shared/domain.js'
import type { Command } from '../index.js'
import { fixed, table } from '../format.js'

export const detectCommand: Command = {
  summary: 'detect objects in photos (class, score, box in photo pixels)',
  usage: 'constella detect <image...> [--threshold 0.25] [--json] [--provider auto|cpu|...] [--verbose]',
  options: { threshold: { type: 'string' } },
  async run(values, files) {
    if (files.length === 0) {
      console.error('constella detect: give at least one image file')
      return 2
    }
    const threshold = values.threshold === undefined ? 0.25 : Number(values.threshold)
    if (!(threshold >= 0 && threshold <= 1)) {
      console.error(`constella detect: --threshold must be a number in 0..1 (got ${values.threshold})`)
      return 2
    }
    const engine = new InferenceEngine({ provider: resolveProviderSetting() })
    const detector = new CenterNetDetector(engine, 'centernet-mobilenetv3', { scoreThreshold: threshold })
    const results: { file: string; width?: number; height?: number; detections?: Detection[]; ms?: number; error?: string }[] = []
    try {
      for (const file of files) {
        const started = performance.now()
        try {
          const photo = await decodePhoto(file)
          const { detections } = await detector.detect(photo)
          results.push({ file, ...photoSize(photo), detections, ms: performance.now() - started })
        } catch (err) {
          results.push({ file, error: (err as Error).message })
        }
        const r = results[results.length - 1]
        if (!values.json) printOne(r)
      }
      const info = await engine.info()
      const report = info.models['centernet-mobilenetv3']?.provider
      const provider = report ? `${report.provider} (${report.reason})` : info.provider
      if (values.json) console.log(JSON.stringify({ provider, results }, null, 2))
      else console.log(`provider: ${report ? providerSummary(report) : info.provider}${values.verbose ? '' : ' (details: --verbose)'}`)
      if (values.verbose && !values.json) {
        if (report) console.log(`provider details: ${report.reason}`)
        for (const line of probeNoise()) console.log(`  native: ${line}`)
      }
    } finally {
      await engine.dispose()
    }
    return results.some((r) => r.error) ? 1 : 0
  },
}

function printOne(r: { file: string; width?: number; height?: number; detections?: Detection[]; ms?: number; error?: string }): void {
  if (r.error) {
    console.log(`${r.file}: ERROR ${r.error}\n`)
    return
  }
  console.log(`${r.file} (${r.width}x${r.height}, ${r.detections!.length} objects, ${fixed(r.ms!, 0)} ms)`)
  if (r.detections!.length > 0) {
    console.log(table(['class', 'score', 'x1', 'y1', 'x2', 'y2'], r.detections!.map((d) => [
      d.className, Number(d.score.toFixed(3)), ...d.box.map((v) => Math.round(v)),
    ])))
  }
  console.log('')
}
