/**
 * Reports the execution provider of the inference engine to the API: the first call loads the
 * detector (which is when the provider is chosen), later calls reuse the engine's report.
 */
import { InferenceEngine } from '../engine/worker/inference-client.js'
import type { ProviderSource } from './services.js'

/** A provider source backed by a (lazily started) inference engine. */
export function engineProviderSource(engine: InferenceEngine, model = 'centernet-mobilenetv3'): ProviderSource {
  let loading: Promise<unknown> | undefined
  return {
    async provider() {
      try {
        loading ??= engine.loadModel(model).catch((err: Error) => {
          loading = undefined
          throw err
        })
        await loading
        const report = (await engine.info()).models[model]?.provider
        return report ? `${report.provider} — ${report.reason}` : undefined
      } catch (err) {
        // the app still works without inference (browsing, labels); say why instead of failing
        return `unavailable: ${(err as Error).message}`
      }
    },
  }
}
