/**
 * A tiny in-process `InferenceRunner` over onnxruntime-node, for tests: models are given as bytes
 * (small graphs built with `OnnxGraphBuilder`, or a real model file). The product runs models in
 * the supervised inference process instead.
 */
import * as ort from 'onnxruntime-node'
import type { InferenceRunner, RunOptions, TensorMap, TensorPayload } from '../../src/main/engine/inference-types.js'

/** Runs named models from memory with real onnxruntime sessions (created lazily, CPU). */
export class OrtRunner implements InferenceRunner {
  private readonly sessions = new Map<string, Promise<ort.InferenceSession>>()
  /** Every call, for assertions on what a stage fed the model. */
  readonly calls: { model: string; feeds: TensorMap; fetches?: string[] }[] = []

  constructor(private readonly models: Record<string, Uint8Array>) {}

  private session(model: string): Promise<ort.InferenceSession> {
    let s = this.sessions.get(model)
    if (!s) {
      const bytes = this.models[model]
      if (!bytes) throw new Error(`OrtRunner: no model "${model}" (have: ${Object.keys(this.models).join(', ')})`)
      s = ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], intraOpNumThreads: 2, interOpNumThreads: 1 })
      this.sessions.set(model, s)
    }
    return s
  }

  async run(model: string, feeds: TensorMap, fetches?: string[], options: RunOptions = {}): Promise<TensorMap> {
    options.signal?.throwIfAborted()
    this.calls.push({ model, feeds, fetches })
    const session = await this.session(model)
    const ortFeeds: Record<string, ort.Tensor> = {}
    for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = new ort.Tensor(t.type, t.data, t.dims)
    options.signal?.throwIfAborted()
    const out = fetches ? await session.run(ortFeeds, fetches) : await session.run(ortFeeds)
    const result: TensorMap = {}
    for (const [name, t] of Object.entries(out)) {
      result[name] = { type: t.type as TensorPayload['type'], dims: [...t.dims], data: t.data as TensorPayload['data'] }
    }
    return result
  }

  /** Releases every session. */
  async dispose(): Promise<void> {
    for (const s of this.sessions.values()) await (await s).release()
    this.sessions.clear()
  }
}
