import { afterEach, describe, expect, it } from 'vitest'
import * as ort from 'onnxruntime-node'
import {
  createSession,
  providerCandidates,
  resetProviderFailures,
  resolveProviderSetting,
} from '../../../../src/main/engine/models/sessions.js'
import { affineModel, affineRow } from '../worker/test-pack.js'

async function runAffine(session: ort.InferenceSession): Promise<number[]> {
  const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from([1, 2, 3]), [1, 3]) })
  return Array.from(out.y.data as Float32Array)
}

describe('execution provider choice', () => {
  afterEach(() => {
    resetProviderFailures()
    delete process.env.CONSTELLA_PROVIDER
  })

  it('orders candidates per platform and always ends with cpu', () => {
    expect(providerCandidates('auto', 'linux', 'x64')).toEqual(['cuda', 'webgpu', 'cpu'])
    expect(providerCandidates('auto', 'linux', 'arm64')).toEqual(['webgpu', 'cpu'])
    expect(providerCandidates('auto', 'win32', 'x64')).toEqual(['cuda', 'dml', 'webgpu', 'cpu'])
    expect(providerCandidates('auto', 'darwin', 'arm64')).toEqual(['coreml', 'webgpu', 'cpu'])
    expect(providerCandidates('webgpu')).toEqual(['webgpu', 'cpu'])
    expect(providerCandidates('cpu')).toEqual(['cpu'])
  })

  it('reads the setting from CONSTELLA_PROVIDER and rejects unknown values', () => {
    expect(resolveProviderSetting(undefined)).toBe('auto')
    expect(resolveProviderSetting(' WebGPU ')).toBe('webgpu')
    expect(() => resolveProviderSetting('tpu')).toThrow(/unknown execution provider "tpu".*auto, cpu, cuda, dml, coreml, webgpu/)
  })

  it('falls back from webgpu to cpu on this machine and records why', async () => {
    const { session, provider } = await createSession(affineModel(), { provider: 'webgpu', label: 'affine' })
    expect(provider.provider).toBe('cpu')
    expect(provider.requested).toBe('webgpu')
    expect(provider.tried).toHaveLength(1)
    expect(provider.tried[0].provider).toBe('webgpu')
    expect(provider.tried[0].cached).toBeUndefined()
    expect(provider.tried[0].error).toMatch(/adapter/i)
    expect(provider.reason).toMatch(/^webgpu was requested; webgpu failed to initialise \(.*adapter.*\); fell back to cpu$/i)
    expect(await runAffine(session)).toEqual(affineRow([1, 2, 3]))
    await session.release()

    // The failure is an environment fact: the next session does not pay for it again, but still says so.
    const again = await createSession(affineModel(), { provider: 'webgpu', label: 'affine-2' })
    expect(again.provider.provider).toBe('cpu')
    expect(again.provider.tried).toEqual([{ provider: 'webgpu', error: provider.tried[0].error, cached: true }])
    await again.session.release()
  })

  it('auto tries every platform candidate before cpu (env setting)', async () => {
    process.env.CONSTELLA_PROVIDER = 'auto'
    const { session, provider } = await createSession(affineModel(), { label: 'affine' })
    expect(provider.requested).toBe('auto')
    expect(provider.provider).toBe('cpu')
    expect(provider.tried.map((t) => t.provider)).toEqual(providerCandidates('auto').slice(0, -1))
    for (const t of provider.tried) expect(t.error.length).toBeGreaterThan(0)
    expect(provider.reason).toMatch(/^auto; .*fell back to cpu$/)
    await session.release()
  })

  it('uses cpu directly when asked, and names the model when even cpu cannot load it', async () => {
    const { session, provider } = await createSession(affineModel(), { provider: 'cpu', label: 'affine' })
    expect(provider).toEqual({ provider: 'cpu', requested: 'cpu', tried: [], reason: 'cpu was requested' })
    await session.release()
    await expect(createSession(Uint8Array.from([1, 2, 3]), { provider: 'cpu', label: 'broken' })).rejects.toThrow(
      /cannot create an inference session for broken/,
    )
  })
})
