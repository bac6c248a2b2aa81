/**
 * Which execution provider inference runs on, and why: the detector is loaded once in the
 * background when the app starts (that is when the provider is chosen); the Settings view shows
 * one short line and, on demand, the full text of every fallback.
 */
import type { ProviderInfo } from '../../shared/api-contract.js'
import { providerSummary, type ProviderReport } from '../engine/models/sessions.js'
import type { InferenceEngine } from '../engine/worker/inference-client.js'

/** The provider in a few words and in full. */
export function providerInfo(report: ProviderReport): ProviderInfo {
  const tried = report.tried.map((t) => `${t.provider}: ${t.error}`)
  return { name: report.provider, summary: providerSummary(report), detail: [report.reason, ...tried].join('\n') }
}

/** Loads `model` on the engine once and reports its provider (or why inference is unavailable). */
export class ProviderProbe {
  private result: ProviderInfo | undefined
  private readonly loading: Promise<ProviderInfo>

  constructor(engine: InferenceEngine, model: string) {
    this.loading = engine.loadModel(model).then(
      (loaded) => providerInfo(loaded.provider),
      (err: Error) => {
        const message = err.message ?? String(err)
        // the app still browses and labels without inference: say why instead of failing
        return { name: 'unavailable', summary: `inference unavailable: ${message.split('\n')[0].slice(0, 120)}`, detail: message }
      },
    ).then((info) => (this.result = info))
  }

  /** The provider once known; waits at most `waitMs` for the first load. */
  async get(waitMs: number): Promise<ProviderInfo | undefined> {
    if (this.result) return this.result
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), waitMs)
    })
    try {
      return await Promise.race([this.loading, timeout])
    } finally {
      clearTimeout(timer)
    }
  }
}
