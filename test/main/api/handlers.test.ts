import { describe, expect, it } from 'vitest'
import { createApi } from '../../../src/main/api/handlers.js'
import type { ApiServices, ModelCheck } from '../../../src/main/api/services.js'
import { ApiError } from '../../../src/shared/envelope.js'

const detector: ModelCheck = {
  entry: { name: 'centernet-mobilenetv3', role: 'detector', source: '@vladmandic/human@3.3.6', file: 'centernet.onnx', sha256: 'ab'.repeat(32), bytes: 10 },
  status: 'ok',
}

function services(overrides: Partial<ApiServices> = {}): ApiServices {
  return {
    app: { version: '1.2.3', platform: 'linux' },
    models: { packDir: '/packs/test', check: () => [detector] },
    ...overrides,
  }
}

describe('createApi', () => {
  it('answers app.info with an ok envelope, without provider while no engine runs', async () => {
    const reply = await createApi(services()).call('app.info', {})
    expect(reply).toEqual({ ok: true, value: { version: '1.2.3', platform: 'linux', packDir: '/packs/test' } })
  })

  it('reports the provider once an inference service is plugged in', async () => {
    const api = createApi(services({ inference: { provider: async () => 'cpu' } }))
    const reply = await api.call('app.info', {})
    expect(reply.ok && reply.value.provider).toBe('cpu')
  })

  it('lists models with their status', async () => {
    const reply = await createApi(services()).call('models.list', {})
    expect(reply).toEqual({ ok: true, value: [{ ...detector.entry, status: 'ok' }] })
  })

  it.each([
    ['unknown keys', { extra: 1 }],
    ['an array', []],
    ['null', null],
    ['a string', 'hello'],
    ['undefined', undefined],
  ])('rejects a request that is %s with bad-request, without running the handler', async (_what, request) => {
    let ran = false
    const api = createApi(services({ models: { packDir: '/p', check: () => ((ran = true), []) } }))
    const reply = await api.dispatch('models.list', request)
    expect(reply.ok).toBe(false)
    expect(!reply.ok && reply.error.code).toBe('bad-request')
    expect(!reply.ok && reply.error.message).toMatch(/invalid request for models.list/)
    expect(ran).toBe(false)
  })

  it('rejects channels that are not in the contract', async () => {
    for (const channel of ['nope', 'constructor', '__proto__', 'toString', '']) {
      const reply = await createApi(services()).dispatch(channel, {})
      expect(reply).toEqual({ ok: false, error: { code: 'unknown-channel', message: `no API channel "${channel}"` } })
    }
  })

  it('passes an ApiError code through and turns anything else into internal', async () => {
    const seen: unknown[] = []
    const failing = (err: Error) => createApi(services({ models: { packDir: '/p', check: () => { throw err } } }), { onInternalError: (_c, e) => seen.push(e) })
    const unavailable = await failing(new ApiError('pack-unavailable', 'no model pack')).call('models.list', {})
    expect(unavailable).toEqual({ ok: false, error: { code: 'pack-unavailable', message: 'no model pack' } })
    expect(seen).toEqual([])
    const boom = new Error('disk on fire')
    const internal = await failing(boom).call('models.list', {})
    expect(internal).toEqual({ ok: false, error: { code: 'internal', message: 'disk on fire' } })
    expect(seen).toEqual([boom])
  })
})
